"""torchvision.models: parameter counts as published, torchvision's state_dict layout, seeded
init identical to torchvision's draw order, and resnet18 numerics against the same network
written with real torch.nn (real torchvision does not install beside the torch 2.13 oracle).

The large models (alexnet, vgg, vit) take 5-20 s each just to draw their ~100M seeded
parameters, so their checks run in the long profile (MSTORCH_LONG_TESTS=1)."""
import os
import signal
import urllib.error
import warnings

import numpy as np
import pytest
import torch as real

import mstorch
from long_profile import skip_unless_long

T = mstorch.torch
TV = mstorch.torchvision
long_only = skip_unless_long('draws ~100M seeded parameters (5-20 s each)')

# torchvision's published `num_params` (the weights' meta) and keys present in its checkpoints.
PUBLISHED = {
    "resnet18": (11689512, ["conv1.weight", "layer1.0.conv1.weight", "layer2.0.downsample.0.weight",
                            "layer4.1.bn2.num_batches_tracked", "fc.weight", "fc.bias"]),
    "resnet50": (25557032, ["layer1.0.downsample.1.running_var", "layer3.5.conv3.weight", "fc.weight"]),
    "mobilenet_v2": (3504872, ["features.0.0.weight", "features.1.conv.0.0.weight", "features.1.conv.1.weight",
                               "features.2.conv.3.running_mean", "features.18.1.weight", "classifier.1.weight"]),
    "mobilenet_v3_small": (2542856, ["features.1.block.0.0.weight", "features.1.block.1.fc1.weight",
                                     "features.12.0.weight", "classifier.0.weight", "classifier.3.bias"]),
    "mobilenet_v3_large": (5483032, ["features.4.block.2.fc2.bias", "features.16.1.running_var",
                                     "classifier.3.weight"]),
    "squeezenet1_0": (1248424, ["features.0.weight", "features.3.squeeze.weight", "features.12.expand3x3.bias",
                                "classifier.1.weight"]),
    "squeezenet1_1": (1235496, ["features.12.expand1x1.weight", "classifier.1.bias"]),
    "densenet121": (7978856, ["features.conv0.weight", "features.denseblock1.denselayer1.norm1.weight",
                              "features.transition3.conv.weight", "features.denseblock4.denselayer16.conv2.weight",
                              "features.norm5.running_mean", "classifier.weight"]),
    "efficientnet_b0": (5288548, ["features.0.0.weight", "features.1.0.block.0.0.weight",
                                  "features.1.0.block.1.fc1.weight", "features.2.0.block.3.1.running_var",
                                  "features.8.0.weight", "classifier.1.weight"]),
    "resnet34": (21797672, ["layer3.5.bn2.weight"]),
    "resnet101": (44549160, ["layer3.22.conv3.weight"]),
}
PUBLISHED_LONG = {
    "alexnet": (61100840, ["features.0.weight", "features.10.bias", "classifier.1.weight", "classifier.6.bias"]),
    "vgg11": (132863336, ["features.0.weight", "features.18.weight", "classifier.0.weight", "classifier.6.bias"]),
    "vgg11_bn": (132868840, ["features.1.running_mean", "features.26.weight"]),
    "vgg16": (138357544, ["features.28.weight", "classifier.3.weight"]),
    "vgg16_bn": (138365992, ["features.41.weight"]),
    "vit_b_16": (86567656, ["class_token", "conv_proj.weight", "encoder.pos_embedding",
                            "encoder.layers.encoder_layer_0.ln_1.weight",
                            "encoder.layers.encoder_layer_0.self_attention.in_proj_weight",
                            "encoder.layers.encoder_layer_0.self_attention.out_proj.weight",
                            "encoder.layers.encoder_layer_11.mlp.0.weight",
                            "encoder.layers.encoder_layer_11.mlp.3.bias", "encoder.ln.weight", "heads.head.weight"]),
}


@pytest.fixture(autouse=True)
def _time_limit():
    def fire(*_):
        raise TimeoutError("model test exceeded its time limit")
    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(240)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def _check_published(name, count, keys):
    model = getattr(TV.models, name)()
    assert sum(p.numel() for p in model.parameters()) == count
    sd = model.state_dict()
    missing = [k for k in keys if k not in sd]
    assert not missing, missing
    assert getattr(TV.models, name).__name__ == name


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_published_parameter_count_and_keys(name):
    _check_published(name, *PUBLISHED[name])


@long_only
@pytest.mark.parametrize("name", sorted(PUBLISHED_LONG))
def test_published_parameter_count_and_keys_large(name):
    _check_published(name, *PUBLISHED_LONG[name])


# --- resnet18 written with real torch.nn, in torchvision's construction and init order -------------------

class _RefBlock(real.nn.Module):
    def __init__(self, inplanes, planes, stride, downsample):
        super().__init__()
        nn = real.nn
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(out + (x if self.downsample is None else self.downsample(x)))


class _RefResNet18(real.nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        nn = real.nn
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = self._layer(64, 1)
        self.layer2 = self._layer(128, 2)
        self.layer3 = self._layer(256, 2)
        self.layer4 = self._layer(512, 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def _layer(self, planes, stride):
        nn = real.nn
        down = None
        if stride != 1 or self.inplanes != planes:
            down = nn.Sequential(nn.Conv2d(self.inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))
        blocks = [_RefBlock(self.inplanes, planes, stride, down), _RefBlock(planes, planes, 1, None)]
        self.inplanes = planes
        return nn.Sequential(*blocks)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(real.flatten(self.avgpool(x), 1))


def _close(ours, ref, rel, what=""):
    # Relative to the tensor's scale: train-mode batch norm over few values amplifies float32 rounding
    # differences element-wise, but not against the magnitude of the whole result.
    ours, ref = np.asarray(ours), np.asarray(ref)
    err = float(np.abs(ours - ref).max())
    assert err <= rel * float(np.abs(ref).max()) + 1e-6, f"{what}: max error {err} vs scale {np.abs(ref).max()}"


def _np_state(sd):
    return {k: v.detach().cpu().numpy() for k, v in sd.items()}


def test_resnet18_seeded_init_equals_torchvision_order():
    T.manual_seed(7)
    ours = TV.models.resnet18(num_classes=10)
    real.manual_seed(7)
    ref = _RefResNet18(num_classes=10)
    a, b = _np_state(ours.state_dict()), _np_state(ref.state_dict())
    assert list(a) == list(b)
    for k in a:
        assert a[k].shape == b[k].shape and a[k].dtype == b[k].dtype, k
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)


@pytest.mark.parametrize("train", [False, True])
def test_resnet18_forward_backward_matches_real_torch(train):
    T.manual_seed(0)
    ours = TV.models.resnet18(num_classes=10)
    ref = _RefResNet18(num_classes=10)
    ref.load_state_dict({k: real.from_numpy(v.copy()) for k, v in _np_state(ours.state_dict()).items()})
    ours.train(train)
    ref.train(train)
    x = np.random.default_rng(0).standard_normal((4, 3, 32, 32)).astype(np.float32)
    xo = T.tensor(x, requires_grad=True)
    xr = real.tensor(x, requires_grad=True)
    yo, yr = ours(xo), ref(xr)
    _close(yo.detach().numpy(), yr.detach().numpy(), 1e-3, "output")
    (yo ** 2).sum().backward()
    (yr ** 2).sum().backward()
    _close(xo.grad.numpy(), xr.grad.numpy(), 2e-3, "input grad")
    for (name, po), (_, pr) in zip(ours.named_parameters(), ref.named_parameters()):
        _close(po.grad.numpy(), pr.grad.numpy(), 2e-3, name)
    if train:
        np.testing.assert_allclose(ours.bn1.running_mean.numpy(), ref.bn1.running_mean.numpy(), rtol=1e-4,
                                   atol=1e-6)


def test_mobilenet_v2_forward_backward_and_train_step():
    T.manual_seed(0)
    model = TV.models.mobilenet_v2(num_classes=4)
    x = T.randn(2, 3, 32, 32)
    target = T.tensor([1, 3])
    opt = T.optim.SGD(model.parameters(), lr=0.05)
    loss0 = T.nn.functional.cross_entropy(model(x), target)
    loss0.backward()
    grads = [p.grad for p in model.parameters()]
    assert all(g is not None and bool(T.isfinite(g).all()) for g in grads)
    opt.step()
    model.eval()
    out = model(x)
    assert tuple(out.shape) == (2, 4) and out.dtype == T.float32


def test_pytorch_checkpoint_loads(tmp_path):
    real.manual_seed(3)
    ref = _RefResNet18()
    path = tmp_path / "resnet18.pth"
    real.save(ref.state_dict(), path)
    model = TV.models.resnet18()
    result = model.load_state_dict(T.load(str(path)))
    assert not result.missing_keys and not result.unexpected_keys
    np.testing.assert_array_equal(model.layer3[1].conv2.weight.detach().numpy(),
                                  ref.layer3[1].conv2.weight.detach().numpy())


def test_weights_from_hub_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    real.manual_seed(5)
    ref = _RefResNet18()
    weights = TV.models.ResNet18_Weights.IMAGENET1K_V1
    ckpt = tmp_path / "hub" / "checkpoints" / os.path.basename(weights.url)
    ckpt.parent.mkdir(parents=True)
    real.save(ref.state_dict(), ckpt)
    for spec in (weights, "DEFAULT"):
        model = TV.models.resnet18(weights=spec)
        np.testing.assert_array_equal(model.fc.weight.detach().numpy(), ref.fc.weight.detach().numpy())
    with pytest.warns(UserWarning, match="pretrained"):
        model = TV.models.resnet18(pretrained=True)
    np.testing.assert_array_equal(model.conv1.weight.detach().numpy(), ref.conv1.weight.detach().numpy())
    assert weights.meta["num_params"] == 11689512
    with pytest.raises(ValueError, match="num_classes"):
        TV.models.resnet18(weights=weights, num_classes=10)


def test_weights_without_cache_or_network_say_where_to_put_the_file(tmp_path, monkeypatch):
    import urllib.request
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))

    def offline(*a, **k):
        raise urllib.error.URLError("no network")
    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(urllib.error.URLError) as info:
        TV.models.mobilenet_v2(weights=TV.models.MobileNet_V2_Weights.DEFAULT)
    assert "mobilenet_v2-7ebf99e0.pth" in str(info.value) and str(tmp_path) in str(info.value)
    assert not list((tmp_path / "hub" / "checkpoints").iterdir())


def test_weights_argument_errors_and_legacy_false():
    with pytest.raises(TypeError):
        TV.models.resnet18(weights=TV.models.MobileNet_V2_Weights.DEFAULT)
    with pytest.raises(KeyError):
        TV.models.resnet18(weights="NO_SUCH_WEIGHTS")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = TV.models.squeezenet1_1(pretrained=False, num_classes=3)
    assert any("pretrained" in str(w.message) for w in caught)
    assert model.classifier[1].out_channels == 3


def test_registry():
    names = TV.models.list_models()
    for n in ("resnet18", "resnet50", "vgg16_bn", "mobilenet_v3_large", "alexnet", "squeezenet1_1",
              "densenet121", "efficientnet_b0", "vit_b_16"):
        assert n in names
    assert TV.models.get_model_weights("resnet50") is TV.models.ResNet50_Weights
    assert TV.models.get_weight("ResNet50_Weights.IMAGENET1K_V2") is TV.models.ResNet50_Weights.IMAGENET1K_V2
    assert TV.models.ResNet50_Weights.DEFAULT is TV.models.ResNet50_Weights.IMAGENET1K_V2
    m = TV.models.get_model("squeezenet1_0", num_classes=5)
    assert isinstance(m, TV.models.SqueezeNet)
    with pytest.raises(ValueError, match="Unknown model"):
        TV.models.get_model("resnet9000")


def test_models_import_through_the_hook_namespace():
    from mstorch import proxy
    models = proxy.get("torchvision.models")
    assert models.resnet18 is TV.models.resnet18
    assert isinstance(models.resnet.BasicBlock(64, 64), T.nn.Module)
    assert proxy.get("torchvision.ops").nms is TV.ops.nms


def test_small_models_run_in_eval():
    T.manual_seed(1)
    x = T.randn(1, 3, 48, 48)
    for builder in (TV.models.squeezenet1_1, TV.models.mobilenet_v3_small):
        model = builder(num_classes=6).eval()
        with T.no_grad():
            assert tuple(model(x).shape) == (1, 6)
    vit = TV.models.VisionTransformer(image_size=32, patch_size=16, num_layers=1, num_heads=2, hidden_dim=8,
                                      mlp_dim=16, num_classes=3)
    y = vit(T.randn(2, 3, 32, 32))
    y.sum().backward()
    assert tuple(y.shape) == (2, 3) and vit.conv_proj.weight.grad is not None
