export * from './media-store.port';
export * from './media.module';
export * from './media-names';
export * from './http/image-upload.interceptor';
export type { FileUploadOptions } from './processing/file-policy';
