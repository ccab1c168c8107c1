"""pytest: skip the doctests of converters whose optional dependency is not installed."""
import importlib.util

collect_ignore = [path for path, dep in (("torch_io.py", "torch"), ("onnx_io.py", "onnx"),
                                         ("networkx_io.py", "networkx"))
                  if importlib.util.find_spec(dep) is None]
