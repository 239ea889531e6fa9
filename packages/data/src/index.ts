// @tensile/data: datasets (IDX, MNIST, Fashion-MNIST), a prefetching DataLoader and seeded augmentation.
export { type Dataset } from './dataset.js';
export { TensorDataset } from './tensor_dataset.js';
export { defaultCollate, type Collated } from './collate.js';
export { DataLoader, type DataLoaderOptions, type SameAs } from './data_loader.js';
export { DatasetNotFoundError } from './errors.js';
export { gunzip, isGzip } from './gzip.js';
export { parseIdx, decodeIdx, IDX_DTYPES, type IdxArray, type IdxDType, type IdxOptions } from './idx.js';
export type { ImageDatasetOptions, ImageSplits } from './tensors.js';
export {
  loadFashionMnist, FASHION_MNIST_DIR, FASHION_MNIST_FILES, FASHION_MNIST_CLASSES, FASHION_MNIST_PACKAGE,
  FASHION_MNIST_INSTALL, type FashionMnistOptions,
} from './fashion_mnist.js';
export { loadMnist, type MnistOptions } from './mnist.js';
export { mulberry32 } from './random.js';
export { compose, type Transform } from './transforms/transform.js';
export { normalise, normalize } from './transforms/normalise.js';
export { hflip, randomHorizontalFlip, type RandomFlipOptions } from './transforms/flip.js';
export { crop, randomCrop, type RandomCropOptions } from './transforms/crop.js';
export { translate, randomTranslate, type RandomTranslateOptions } from './transforms/translate.js';
