// Plain against residual at the same depth: both 6n+2-layer CNNs start from the same weights,
// see the same batches, and train for the same number of steps; we record the loss and the
// gradient norm of the first convolution at every step, then score both on held-out images.
import { argmax, dispose, noGrad, tidy } from '@tensile/core';
import { DataLoader, loadFashionMnist, type TensorDataset } from '@tensile/data';
import { CrossEntropyLoss } from '@tensile/layers';
import { plainCnn, residualCnn, type DepthCnn } from '@tensile/models';
import { SGD } from '@tensile/optimizers';
import type { Tensor } from '@tensile/core';

export interface ResidualConfig {
  /** Weighted layers, 6n + 2 (default 20). */
  depth: number;
  /** Channels of the first stage; the next two have 2x and 4x (default 8: 8-16-32). */
  width: number;
  /** Optimizer steps for each model (default 150). */
  steps: number;
  /** Images per step (default 32). */
  batchSize: number;
  /** SGD learning rate, momentum 0.9 (default 0.05). */
  lr: number;
  /** Fashion-MNIST training images the batches are drawn from (default 4,096). */
  trainSize: number;
  /** Fashion-MNIST test images both are scored on (default 2,000). */
  testSize: number;
  /** Seed of the weights (the same for both) and of the batch order. */
  seed: number;
}

export const RESIDUAL_DEFAULTS: ResidualConfig = {
  depth: 20, width: 8, steps: 150, batchSize: 32, lr: 0.05, trainSize: 4096, testSize: 2000, seed: 0,
};

/** One model's record. */
export interface DepthRun {
  kind: 'plain' | 'residual';
  parameters: number;
  /** The training loss at every step. */
  losses: number[];
  /** ‖∂loss/∂W‖ of the first convolution at every step (before the update). */
  firstLayerGradNorms: number[];
  /** Accuracy on the test images after the last step. */
  testAccuracy: number;
}

/**
 * Trains the plain and then the residual CNN for `config.steps` steps each on the active backend.
 * @example const [plain, residual] = await residualExperiment(RESIDUAL_DEFAULTS);
 */
export async function residualExperiment(config: ResidualConfig, onStep?: (kind: 'plain' | 'residual', step: number) => void): Promise<[DepthRun, DepthRun]> {
  const { train, test } = await loadFashionMnist({ trainSize: config.trainSize, testSize: config.testSize });
  try {
    const plain = await trainOne('plain', config, train, test, onStep);
    const residual = await trainOne('residual', config, train, test, onStep);
    return [plain, residual];
  } finally {
    train.dispose();
    test.dispose();
  }
}

async function trainOne(
  kind: 'plain' | 'residual', config: ResidualConfig, train: TensorDataset<[Tensor, Tensor]>, test: TensorDataset<[Tensor, Tensor]>,
  onStep?: (kind: 'plain' | 'residual', step: number) => void,
): Promise<DepthRun> {
  const w = config.width;
  const model: DepthCnn = (kind === 'plain' ? plainCnn : residualCnn)({ depth: config.depth, widths: [w, 2 * w, 4 * w], seed: config.seed });
  const optimizer = new SGD(model.parameters(), { lr: config.lr, momentum: 0.9 });
  const loss = new CrossEntropyLoss();
  const losses: number[] = [];
  const norms: number[] = [];
  try {
    model.train();
    for (let epoch = 0; losses.length < config.steps; epoch++) {
      // The loader's seed fixes every epoch's order, so both models see the same batches.
      const loader = new DataLoader(train, { batchSize: config.batchSize, shuffle: true, seed: config.seed + 1000 * epoch, dropLast: true });
      for await (const [x, y] of loader) {
        if (losses.length < config.steps) {
          const [l, g] = tidy(() => {
            const value = loss.call(model.call(x), y);
            value.backward();
            return [value, model.firstLayerWeight.grad!.square().sum().sqrt()];
          });
          const [lv, gv] = await Promise.all([l.data(), g.data()]);
          losses.push(lv[0]!);
          norms.push(gv[0]!);
          dispose([l, g]);
          optimizer.step();
          optimizer.zeroGrad();
          onStep?.(kind, losses.length);
        }
        dispose([x, y]);
      }
    }
    model.eval();
    let right = 0;
    for await (const [x, y] of new DataLoader(test, { batchSize: 500 })) {
      const hits = noGrad(() => tidy(() => argmax(model.call(x), 1).equal(y).cast('int32').sum()));
      right += (await hits.data())[0]!;
      dispose([x, y, hits]);
    }
    return { kind, parameters: model.numParameters(), losses, firstLayerGradNorms: norms, testAccuracy: right / test.length };
  } finally {
    optimizer.dispose();
    loss.dispose();
    model.dispose();
  }
}
