/** Where the site reads from: CAPI_DATA_DIR (the dataset, default data/) and CAPI_CONTENT_DIR (default content/). */
import path from 'node:path';

export const DATA_DIR = path.resolve(process.env.CAPI_DATA_DIR ?? 'data');
export const CONTENT_DIR = path.resolve(process.env.CAPI_CONTENT_DIR ?? 'content');
