/** stopword ships no types: the lists Pulso reads (function words of English, Spanish and Portuguese). */
declare module 'stopword' {
  export const eng: readonly string[];
  export const spa: readonly string[];
  export const por: readonly string[];
}
