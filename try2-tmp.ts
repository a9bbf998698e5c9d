import { baselineSentiment } from '#insight/rules/sentiment.ts';
import { tokensOf } from '#insight/rules/text.ts';

const t = process.argv[2] ?? '';
const l = (process.argv[3] ?? 'pt') as 'pt';
console.log(
  tokensOf(t, l)
    .map((x) =>
      x.kind === 'word' ? `${x.word}/${x.stem}` : x.kind === 'break' ? `|${x.comma ? ',' : '.'}` : x.emoji,
    )
    .join(' '),
);
console.log(baselineSentiment(t, l));
