import { baselineSentiment } from '#insight/rules/sentiment.ts';
import { datasetFiles } from './bench/sentiment.ts';

const want = process.argv[2];
for (const f of datasetFiles().filter((f) => f.name === want)) {
  const polar = f.rows.filter((r) => r.label !== 'neutral');
  const zero = polar.filter((r) => baselineSentiment(r.text, f.language).polarity === 0);
  console.log(
    'zero',
    zero.length,
    'of',
    polar.length,
    'neg among zero',
    zero.filter((r) => r.label === 'negative').length,
  );
  const wrong = polar.filter((r) => {
    const p = baselineSentiment(r.text, f.language).polarity;
    return p !== 0 && (p < 0 ? 'negative' : 'positive') !== r.label;
  });
  console.log('wrong nonzero', wrong.length);
  for (const r of wrong.slice(0, Number(process.argv[3] ?? 25)))
    console.log(r.label, baselineSentiment(r.text, f.language).polarity, '|', r.text.slice(0, 160));
  console.log('--- zero samples');
  for (const r of zero.slice(0, Number(process.argv[4] ?? 25)))
    console.log(r.label, '|', r.text.slice(0, 140));
}
