import { DynamicModule, Module, Provider } from '@nestjs/common';
import { AppConfig, ConfigError, HealthProbes, KeyValueStore } from '@chat/platform';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MediaEventsController } from './events/media-events.controller';
import { GatewayMediaStore } from './gateway-media-store';
import { LocalMediaHttpController } from './http/local-media.http.controller';
import { MediaStore } from './media-store.port';
import { FilePolicy } from './processing/file-policy';
import { ImagePipeline } from './processing/image-pipeline';
import { OrphanUploadSweeper, sweepIntervalMs } from './registry/orphan-upload-sweeper';
import { UploadRegistry } from './registry/upload-registry';
import { AttachmentFiles } from './storage/attachment-files.port';
import { CloudinaryAccount, parseCloudinaryUrl } from './storage/cloudinary-account';
import { ImageFiles } from './storage/image-files.port';
import { LocalDiskAttachmentFiles } from './storage/local-disk-attachment-files';
import { LocalDiskImageFiles } from './storage/local-disk-image-files';

/**
 * Images, files and voice messages, in the gateway process (media is not a role of its own: uploads arrive at the
 * edge). Binds MediaStore to the Cloudinary adapters when CLOUDINARY_URL is set, else to local disk under
 * DATA_DIR/media, which the gateway then serves at /media/<name> (images) and /media/files/<key> (downloads).
 */
@Module({})
export class MediaModule {
  static forRoot(config: AppConfig): DynamicModule {
    const orphanTtlMs = config.env.UPLOAD_ORPHAN_TTL_SECONDS * 1000;
    const common: Provider[] = [
      { provide: ImagePipeline, useFactory: () => new ImagePipeline({ maxBytes: config.env.UPLOAD_MAX_BYTES, maxPixels: config.env.UPLOAD_MAX_PIXELS }) },
      { provide: FilePolicy, useFactory: () => new FilePolicy(config.env.FILE_UPLOAD_MAX_BYTES) },
      { provide: UploadRegistry, inject: [KeyValueStore], useFactory: (store: KeyValueStore) => new UploadRegistry(store, orphanTtlMs) },
      {
        provide: MediaStore,
        inject: [ImagePipeline, ImageFiles, UploadRegistry, FilePolicy, AttachmentFiles],
        useFactory: (pipeline: ImagePipeline, files: ImageFiles, registry: UploadRegistry, policy: FilePolicy, attachments: AttachmentFiles) =>
          new GatewayMediaStore(pipeline, files, registry, policy, attachments),
      },
      { provide: OrphanUploadSweeper, inject: [MediaStore], useFactory: (media: MediaStore) => new OrphanUploadSweeper(media, sweepIntervalMs(orphanTtlMs)) },
    ];
    if (config.env.CLOUDINARY_URL) {
      const account = cloudinaryAccount(config);
      return {
        module: MediaModule,
        controllers: [MediaEventsController],
        // Required, not imported: only a gateway that stores media on Cloudinary loads its SDK.
        providers: [...common, ...(require('./storage/cloudinary-storage') as typeof import('./storage/cloudinary-storage')).cloudinaryStorage(account)],
        exports: [MediaStore],
      };
    }
    const root = join(config.dataDir, 'media');
    return {
      module: MediaModule,
      controllers: [MediaEventsController, LocalMediaHttpController],
      providers: [
        ...common,
        {
          provide: LocalDiskImageFiles,
          inject: [HealthProbes],
          useFactory: (probes: HealthProbes) => {
            mkdirSync(root, { recursive: true });
            probes.register({ name: 'media-disk', check: () => accessSync(root, constants.W_OK) });
            return new LocalDiskImageFiles(root);
          },
        },
        { provide: ImageFiles, useExisting: LocalDiskImageFiles },
        { provide: LocalDiskAttachmentFiles, useFactory: () => new LocalDiskAttachmentFiles(join(root, 'files')) },
        { provide: AttachmentFiles, useExisting: LocalDiskAttachmentFiles },
      ],
      exports: [MediaStore],
    };
  }
}

function cloudinaryAccount(config: AppConfig): CloudinaryAccount {
  let account;
  try {
    account = parseCloudinaryUrl(config.env.CLOUDINARY_URL!);
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  return { ...account, apiUrl: config.env.CLOUDINARY_API_URL, folder: `${config.env.NAMESPACE}/media` };
}
