"""What the ONNX importer checks before converting anything: the opset, the graph's
structure (outputs, one assignment per name, no cycle), and every tensor it reads
(size from the shape first; external data only from a checked folder)."""
from __future__ import annotations

import math
import os
import stat
from typing import Any

import numpy as np

from ..config import check_size
from ..errors import DomainError, SerializationError

__all__ = ["check_opset", "check_graph", "read_tensor"]


def check_opset(model: Any, opsets: tuple[int, int | None]) -> None:
    """The default-domain opset must lie in ``opsets`` (``None``: the newest the
    installed onnx knows)."""
    import onnx
    lo, hi = opsets
    hi = onnx.defs.onnx_opset_version() if hi is None else hi
    versions = [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")]
    if not versions:
        raise DomainError("from_onnx: the model imports no default-domain opset")
    v = max(versions)
    if not lo <= v <= hi:
        raise DomainError(f"from_onnx: opset {v} is not supported; the importer reads "
                          f"opsets {lo} to {hi} (the newest this onnx {onnx.__version__} "
                          f"knows)")


def check_graph(g: Any) -> None:
    """Every node has an output, every tensor name is assigned once (graph inputs and
    initialisers count), and the nodes have no cycle (Kahn's algorithm), so the chain
    walk ends."""
    given = {i.name for i in g.input} | {t.name for t in g.initializer}
    producer: dict[str, int] = {}
    for k, node in enumerate(g.node):
        where = f"from_onnx: node {k} ({node.op_type} {node.name!r})"
        outs = [o for o in node.output if o]
        if not outs:
            raise DomainError(f"{where} has no output")
        for o in outs:
            if o in given or o in producer:
                first = "a graph input or initialiser" if o in given else \
                    f"node {producer[o]}"
                raise DomainError(f"{where} assigns the tensor {o!r}, already assigned by "
                                  f"{first}: every name is assigned once in ONNX (a node "
                                  f"writing a tensor it reads makes a cycle)")
            producer[o] = k
    deps = [{producer[i] for i in node.input if i in producer} for node in g.node]
    users: dict[int, list[int]] = {}
    for k, ds in enumerate(deps):
        for d in ds:
            users.setdefault(d, []).append(k)
    indeg = [len(ds) for ds in deps]
    ready = [k for k, n in enumerate(indeg) if n == 0]
    done = 0
    while ready:
        k = ready.pop()
        done += 1
        for u in users.get(k, ()):
            indeg[u] -= 1
            if indeg[u] == 0:
                ready.append(u)
    if done < len(deps):
        cyc = [k for k, n in enumerate(indeg) if n > 0]
        raise DomainError(f"from_onnx: the graph has a cycle (through nodes "
                          f"{cyc[:6]}{' ...' if len(cyc) > 6 else ''})")


def read_tensor(t: Any, base_dir: str | None, what: str) -> np.ndarray:
    """A TensorProto as a numpy array: its size checked from the shape first, external
    data read only from a file inside ``base_dir`` (None: refused)."""
    from onnx import TensorProto, helper, numpy_helper
    dims = [int(d) for d in t.dims]
    if any(d < 0 for d in dims):
        raise SerializationError(f"{what}: negative dimension in {dims}")
    check_size("max_matrix_entries", math.prod(dims), f"{what}: a tensor of shape {dims}")
    if t.data_location != TensorProto.EXTERNAL:
        return numpy_helper.to_array(t)
    info = {e.key: e.value for e in t.external_data}
    loc = info.get("location", "")
    if base_dir is None:
        raise SerializationError(
            f"{what} keeps its data in the external file {loc!r}; a model given as bytes "
            f"or an onnx.ModelProto has no folder, so pass base_dir= the folder holding it "
            f"(nothing is read relative to the current directory)")
    try:
        itemsize = np.dtype(helper.tensor_dtype_to_np_dtype(t.data_type)).itemsize
    except Exception:
        raise SerializationError(f"{what}: external data of type {t.data_type} is not "
                                 f"supported") from None
    path = _inside(base_dir, loc, what)
    try:
        offset = int(info.get("offset", 0))
        length = int(info["length"]) if "length" in info else None
    except ValueError:
        raise SerializationError(f"{what}: external data offset / length are not "
                                 f"integers") from None
    need = math.prod(dims) * itemsize
    if offset < 0 or (length is not None and length != need):
        raise SerializationError(f"{what}: external data at offset {offset} with length "
                                 f"{length}; the tensor needs {need} bytes")
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise SerializationError(f"{what}: external data {loc!r} is not a regular file")
        if offset + need > st.st_size:
            raise SerializationError(f"{what}: external data {loc!r} has {st.st_size} "
                                     f"bytes; the tensor needs {need} from offset {offset}")
        fh.seek(offset)
        data = fh.read(need)
    copy = TensorProto()
    copy.CopyFrom(t)
    del copy.external_data[:]
    copy.data_location = TensorProto.DEFAULT
    copy.raw_data = data
    return numpy_helper.to_array(copy)


def _inside(base_dir: str, loc: str, what: str) -> str:
    """``loc`` resolved (symlinks followed) inside ``base_dir``, a regular file."""
    if not loc or os.path.isabs(loc) or "\0" in loc:
        raise SerializationError(f"{what}: external data location {loc!r} must be a "
                                 f"relative path inside base_dir")
    base = os.path.realpath(base_dir)
    path = os.path.realpath(os.path.join(base, loc))
    if os.path.commonpath([base, path]) != base:
        raise SerializationError(f"{what}: external data location {loc!r} leaves the "
                                 f"folder {base!r}")
    try:
        st = os.stat(path)
    except OSError as exc:
        raise SerializationError(f"{what}: cannot read external data {loc!r} "
                                 f"({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise SerializationError(f"{what}: external data {loc!r} is not a regular file")
    return path
