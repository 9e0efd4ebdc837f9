"""The PyTorch side of GenNet's cross-language state_dict tests (run by CrossLanguageTests with Debian's python3-torch).

    interop.py load DIR   load the C#-written <model>.safetensors and <model>.pt into the same PyTorch models with
                          strict=True, run <model>.input.safetensors' input, write <model>.out_st/.out_pt.safetensors
    interop.py main-job MODEL DIR   load the main job's model.safetensors into Mlp strictly, run DIR/mlp.input.safetensors
    interop.py save DIR   build the models (seeded, BatchNorm statistics updated), write <model>.py.safetensors and
                          <model>.py.pt, and <model>.py.io.safetensors with an input and PyTorch's output for it

Debian has no `safetensors` package, so the format is read and written with json + numpy, as its spec describes.
"""
import json
import sys

import numpy as np
import torch
from torch import nn

NP = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "BF16": np.uint16, "I64": np.int64, "I32": np.int32,
      "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_}
TORCH = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64",
         torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + n])
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[8 + n + begin:8 + n + end], dtype=NP[entry["dtype"]]).reshape(entry["shape"]).copy()
        t = torch.from_numpy(array)
        out[name] = t.view(torch.bfloat16) if entry["dtype"] == "BF16" else t
    return out


def write_safetensors(path, tensors):
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[name] = {"dtype": TORCH[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(len(text).to_bytes(8, "little"))
        f.write(text)
        for c in chunks:
            f.write(c)


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1, self.act, self.l2 = nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 10)

    def forward(self, x):
        return self.l2(self.act(self.l1(x)))


class ConvBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.act = nn.ReLU()
        self.head = nn.Linear(4 * 6 * 6, 3)

    def forward(self, x):
        return self.head(self.act(self.bn(self.conv(x))).flatten(1))


class Scaled(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(3))
        self.lin = nn.Linear(5, 3)
        self.register_buffer("offset", torch.zeros(3))

    def forward(self, x):
        return self.lin(x) * self.scale + self.offset


MODELS = {"mlp": (Mlp, (4, 784)), "conv_block": (ConvBlock, (2, 1, 6, 6)), "scaled": (Scaled, (4, 5))}


def load(folder):
    for name, (cls, _) in MODELS.items():
        x = read_safetensors(f"{folder}/{name}.input.safetensors")["input"]
        for kind, state in (("st", read_safetensors(f"{folder}/{name}.safetensors")),
                            ("pt", torch.load(f"{folder}/{name}.pt", weights_only=True))):
            model = cls()
            print(name, kind, model.load_state_dict(state, strict=True))
            model.eval()
            with torch.no_grad():
                y = model(x)
            write_safetensors(f"{folder}/{name}.out_{kind}.safetensors", {"output": y})
            print(name, kind, "output", [round(v, 6) for v in y.flatten()[:4].tolist()])


def save(folder):
    for i, (name, (cls, shape)) in enumerate(MODELS.items()):
        torch.manual_seed(100 + i)
        model = cls()
        with torch.no_grad():
            if name == "scaled":
                model.scale.copy_(torch.tensor([0.5, -2.0, 3.0]))
                model.offset.copy_(torch.tensor([0.25, 0.0, -1.0]))
            if name == "conv_block":
                model.train()
                for _ in range(3):  # moves the running statistics away from their initial values
                    model(torch.randn(8, 1, 6, 6) * 2 + 1)
        model.eval()
        x = torch.rand(shape)
        with torch.no_grad():
            y = model(x)
        write_safetensors(f"{folder}/{name}.py.safetensors", model.state_dict())
        torch.save(model.state_dict(), f"{folder}/{name}.py.pt")
        # A training checkpoint as people save them: the state_dict under a key, next to plain Python values and an
        # optimizer's state (nested dicts, lists, floats, booleans, None).
        optimizer = torch.optim.SGD(model.parameters(), lr=0.0, momentum=0.9)
        model(torch.rand(shape)).sum().backward()
        optimizer.step()
        torch.save({"epoch": 3, "model": model.state_dict(), "optimizer": optimizer.state_dict(), "note": "ckpt"},
                   f"{folder}/{name}.py.ckpt.pt")
        write_safetensors(f"{folder}/{name}.py.io.safetensors", {"input": x, "output": y})
        print(name, "saved", list(model.state_dict().keys()))


def main_job(model_file, folder):
    """The main job's model.safetensors in the lesson's PyTorch MLP, strictly, on the input the test wrote."""
    model = Mlp()
    print("main_job", model.load_state_dict(read_safetensors(model_file), strict=True))
    # Trained logits are large enough that float32 BLAS rounding differs by a few 1e-6 between libtorch builds;
    # float64 compares the weights themselves.
    model.double().eval()
    with torch.no_grad():
        y = model(read_safetensors(f"{folder}/mlp.input.safetensors")["input"])
    write_safetensors(f"{folder}/mlp.out_main.safetensors", {"output": y})


if __name__ == "__main__":
    if sys.argv[1] == "main-job":
        main_job(sys.argv[2], sys.argv[3])
    else:
        {"load": load, "save": save}[sys.argv[1]](sys.argv[2])
