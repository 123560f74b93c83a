'use client';
import { useRef } from 'react';
import { answerConfirm, ConfirmRequest, usePendingConfirm } from '@/lib/confirm';
import { useFocusTrap } from './use-focus-trap';

/** The app's confirmation (in place of the browser's `confirm()`); mounted once in the layout, asked through `useConfirm`. */
export function ConfirmDialog() {
  const request = usePendingConfirm();
  // Keyed by the question: a new one is a new dialog, with focus placed afresh.
  return request ? <Question key={`${request.title}\n${request.body}`} request={request} /> : null;
}

function Question({ request }: { request: ConfirmRequest }) {
  const cancel = useRef<HTMLButtonElement>(null);
  // Focus starts on Cancel: Enter on a dialog that popped up under the fingers must not destroy anything.
  const box = useFocusTrap<HTMLDivElement>({ trap: true, onEscape: () => answerConfirm(false), initialFocus: cancel });
  return (
    <div className="fixed inset-0 z-[60] flex items-center justify-center bg-black/40 p-4" onClick={() => answerConfirm(false)}>
      <div
        ref={box}
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        aria-describedby={request.body ? 'confirm-body' : undefined}
        className="w-full max-w-sm rounded-2xl bg-white p-5 shadow-xl dark:bg-slate-900"
        onClick={(e) => e.stopPropagation()}
        data-testid="confirm-dialog"
      >
        <h2 id="confirm-title" className="text-lg font-semibold">
          {request.title}
        </h2>
        {request.body && (
          <p id="confirm-body" className="mt-2 text-sm text-slate-600 dark:text-slate-300">
            {request.body}
          </p>
        )}
        <div className="mt-5 flex justify-end gap-2">
          <button
            ref={cancel}
            onClick={() => answerConfirm(false)}
            className="rounded-lg px-4 py-2 font-medium hover:bg-slate-100 dark:hover:bg-slate-800"
            data-testid="confirm-cancel"
          >
            Cancel
          </button>
          <button
            onClick={() => answerConfirm(true)}
            className={`rounded-lg px-4 py-2 font-medium text-white ${request.danger ? 'bg-red-600 hover:bg-red-700' : 'bg-brand-600 hover:bg-brand-700'}`}
            data-testid="confirm-ok"
          >
            {request.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
