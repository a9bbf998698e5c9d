import { constructId, type StackReader } from './reader.ts';
import { localBucketName } from './resolver.ts';

export interface LocalBucket {
  readonly logicalId: string;
  readonly constructId: string;
  readonly name: string;
}

/** AWS::S3::Bucket with its local name (lower case). */
export function readBuckets({ ofType, resolver }: StackReader): LocalBucket[] {
  return ofType('AWS::S3::Bucket').map(
    ([id, res]): LocalBucket => ({
      logicalId: id,
      constructId: constructId(res, id),
      name: localBucketName(resolver, id),
    }),
  );
}
