/**
 * Annotation key: a side-effect-free predicate equivalent to a refinement's filter (true = passes) that the
 * fast path may call instead of the filter. The filter still runs when the predicate says false, to build
 * the precise issue.
 */
export const FastPredicateId: unique symbol = Symbol.for("@gametel/core/FastPredicate");

/**
 * Annotation key marking the `SafeDocument` refinement: the code generator fuses its key check into the
 * struct validators that follow it instead of walking the input twice.
 */
export const SafeKeysId: unique symbol = Symbol.for("@gametel/core/SafeKeys");
