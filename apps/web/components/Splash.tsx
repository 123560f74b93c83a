export function Splash({ label = 'Loading…' }: { label?: string }) {
  return (
    <main className="flex h-full items-center justify-center" aria-busy="true">
      <div className="flex flex-col items-center gap-3 text-slate-500">
        <div className="h-10 w-10 animate-spin rounded-full border-4 border-brand-500 border-t-transparent" />
        <span>{label}</span>
      </div>
    </main>
  );
}
