import { Transform } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { stringify } from 'csv-stringify';
import type { ExportFiles } from '#insight/ports.ts';
import type { Cell } from '#insight/rules/exports.ts';

/** `attachment; filename=...` with the name in ASCII and in full (RFC 6266). */
export const attachment = (fileName: string) =>
  `attachment; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;

/**
 * Export files in an S3 bucket: each CSV streamed into a multipart upload as its rows come (a part is 5 MB, so an
 * export's memory stays flat whatever its size), fetched through presigned links. Cells are RFC 4180 CSV with a
 * byte order mark (spreadsheets then read UTF-8), and a cell a spreadsheet would run as a formula (=, +, -, @, tab,
 * CR first) starts with an apostrophe: customer text stays text (OWASP CSV injection).
 */
export class S3ExportFiles implements ExportFiles {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async writeCsv(
    objectKey: string,
    file: { fileName: string; header: readonly string[]; rows: AsyncIterable<Cell[]> },
  ): Promise<{ bytes: number }> {
    const csv = stringify({ bom: true, escape_formulas: true, record_delimiter: 'windows' });
    let bytes = 0;
    const counted = csv.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, next) {
          bytes += chunk.length;
          next(null, chunk);
        },
      }),
    );
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: objectKey,
        Body: counted,
        ContentType: 'text/csv; charset=utf-8',
        ContentDisposition: attachment(file.fileName),
      },
    });
    const done = upload.done();
    // If the upload fails, the writing below must stop too, and the other way round.
    done.catch(() => csv.destroy());
    try {
      await write(csv, [...file.header]);
      // csv-stringify writes an absent cell (undefined) as an empty one.
      for await (const row of file.rows) await write(csv, row);
      csv.end();
    } catch (err) {
      await upload.abort().catch(() => undefined);
      csv.destroy();
      throw err;
    }
    await done;
    return { bytes };
  }

  async downloadLink(objectKey: string, fileName: string, seconds: number): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: objectKey,
        ResponseContentDisposition: attachment(fileName),
      }),
      { expiresIn: seconds },
    );
  }
}

/** Writes a record, waiting while the upload is behind (backpressure). */
function write(csv: ReturnType<typeof stringify>, record: readonly Cell[]): Promise<void> {
  if (csv.destroyed) return Promise.reject(new Error('The upload stopped.'));
  if (csv.write(record)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      csv.off('error', onError);
      resolve();
    };
    const onError = (err: Error) => {
      csv.off('drain', onDrain);
      reject(err);
    };
    csv.once('drain', onDrain);
    csv.once('error', onError);
  });
}
