// @tensile/models: the model zoo. Each model is a `Module` built from a plain config object with
// defaults; where torchvision has the same architecture, state-dict keys and shapes match it.
export {};
