// The image area's contract: what the engine and the runtime import. Nothing else is public.
export type {
  ArchiveSource,
  ImportOptions,
  ImageConfig,
  ImageHealthcheck,
  ImageStore,
  LocalImage,
  PullOptions,
  PullProgress,
  PushOptions,
  PushProgress,
  PushResult,
  ImageDocuments,
  LayerDescriptor,
  NewLayer,
  StoredLayer,
} from './types.ts';
export { openImageStore } from './store/store.ts';
export { parseReference, familiarName } from './reference.ts';
export type { ImageReference } from './reference.ts';
