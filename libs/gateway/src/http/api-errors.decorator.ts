import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { httpStatusFor } from '../errors/error-status';

/** Documents the error codes a route can answer with, grouped by the status they map to. */
export function ApiErrors(...codes: string[]): MethodDecorator {
  const byStatus = new Map<number, string[]>();
  for (const code of codes) byStatus.set(httpStatusFor(code), [...(byStatus.get(httpStatusFor(code)) ?? []), code]);
  return applyDecorators(
    ...[...byStatus].map(([status, list]) =>
      ApiResponse({
        status,
        description: `Error codes: ${list.join(', ')}`,
        schema: { example: { statusCode: status, code: list[0], message: 'Explanation for people', requestId: 'b2c1…' } },
      }),
    ),
  );
}
