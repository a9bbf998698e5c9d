import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ExportFileEraser } from '#access/ports.ts';
import { requireEnv } from './dynamodb/client.ts';
import { once } from './runtime.ts';

/** Removes export files from EXPORTS_BUCKET (delete only: the eraser writes and reads none). */
export class S3ExportFileEraser implements ExportFileEraser {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async remove(objectKey: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }));
  }
}

/** One client per container; locally the S3 engine, addressed by path. */
export const exportFileEraser = once(
  () =>
    new S3ExportFileEraser(
      new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined }),
      requireEnv('EXPORTS_BUCKET'),
    ),
);
