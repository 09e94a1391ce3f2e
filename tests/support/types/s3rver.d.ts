// s3rver ships no types; these are the calls the backup S3 test makes on it.
declare module "s3rver" {
  import type { IncomingMessage, ServerResponse } from "node:http";
  interface S3rverOptions {
    directory: string;
    silent?: boolean;
    configureBuckets?: { name: string; configs: string[] }[];
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    configureBuckets(): Promise<void>;
    /** Koa's request handler, to mount behind our own server. */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
