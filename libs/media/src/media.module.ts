import { DynamicModule, Module, Provider } from '@nestjs/common';
import { AppConfig, ConfigError, HealthProbes, KeyValueStore } from '@chat/platform';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MediaEventsController } from './events/media-events.controller';
import { LocalMediaHttpController } from './http/local-media.http.controller';
import { ImageMediaStore } from './image-media-store';
import { MediaStore } from './media-store.port';
import { ImagePipeline } from './processing/image-pipeline';
import { UploadRegistry } from './registry/upload-registry';
import { CloudinaryImageFiles, parseCloudinaryUrl } from './storage/cloudinary-image-files';
import { ImageFiles } from './storage/image-files.port';
import { LocalDiskImageFiles } from './storage/local-disk-image-files';

/**
 * Images, in the gateway process (media is not a role of its own: uploads arrive at the edge). Binds MediaStore to
 * the Cloudinary adapter when CLOUDINARY_URL is set, else to local disk under DATA_DIR/media, which the gateway
 * then serves at /media/<name>.
 */
@Module({})
export class MediaModule {
  static forRoot(config: AppConfig): DynamicModule {
    const common: Provider[] = [
      { provide: ImagePipeline, useFactory: () => new ImagePipeline({ maxBytes: config.env.UPLOAD_MAX_BYTES, maxPixels: config.env.UPLOAD_MAX_PIXELS }) },
      { provide: UploadRegistry, inject: [KeyValueStore], useFactory: (store: KeyValueStore) => new UploadRegistry(store) },
      {
        provide: MediaStore,
        inject: [ImagePipeline, ImageFiles, UploadRegistry],
        useFactory: (pipeline: ImagePipeline, files: ImageFiles, registry: UploadRegistry) => new ImageMediaStore(pipeline, files, registry),
      },
    ];
    if (config.env.CLOUDINARY_URL) {
      return {
        module: MediaModule,
        controllers: [MediaEventsController],
        providers: [...common, { provide: ImageFiles, useFactory: () => cloudinaryFiles(config) }],
        exports: [MediaStore],
      };
    }
    return {
      module: MediaModule,
      controllers: [MediaEventsController, LocalMediaHttpController],
      providers: [
        ...common,
        {
          provide: LocalDiskImageFiles,
          inject: [HealthProbes],
          useFactory: (probes: HealthProbes) => {
            const root = join(config.dataDir, 'media');
            mkdirSync(root, { recursive: true });
            probes.register({ name: 'media-disk', check: () => accessSync(root, constants.W_OK) });
            return new LocalDiskImageFiles(root);
          },
        },
        { provide: ImageFiles, useExisting: LocalDiskImageFiles },
      ],
      exports: [MediaStore],
    };
  }
}

function cloudinaryFiles(config: AppConfig): CloudinaryImageFiles {
  let account;
  try {
    account = parseCloudinaryUrl(config.env.CLOUDINARY_URL!);
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  return new CloudinaryImageFiles({ ...account, apiUrl: config.env.CLOUDINARY_API_URL, folder: `${config.env.NAMESPACE}/media` });
}
