const VALIDATED_AT_EDGE = Symbol('validatedAtEdge');

/**
 * Marks a module's request DTO that every caller builds from input the edge has already validated with rules at
 * least as strict, plus values the server made itself (the authenticated user, a stored upload). Inside one process
 * the module's door then takes it as it is: validation once, at the edge (DESIGN.md, the message path). Over
 * RabbitMQ the door still validates it, since there the payload has crossed a network.
 *
 * Only for DTOs whose rules the edge repeats: a rule that lives only at the module's door (a change cursor, a
 * field no caller may set) must stay checked there, so such a DTO is never marked.
 */
export function ValidatedAtEdge(): ClassDecorator {
  return (target) => {
    Object.defineProperty(target, VALIDATED_AT_EDGE, { value: true });
  };
}

export function isValidatedAtEdge(metatype: unknown): boolean {
  return typeof metatype === 'function' && Object.prototype.hasOwnProperty.call(metatype, VALIDATED_AT_EDGE);
}
