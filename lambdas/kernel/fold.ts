/**
 * Lower case without accents (or emoji variation selectors): "Atención" and "atencion" are one word, as customers
 * type either. Searches, keyword rules, replies and the comment analysis all read text through it.
 */
export const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
