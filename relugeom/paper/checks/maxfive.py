"""Bakaev, Brunck, Hertrich, Stade, Yehudayoff (arXiv 2505.14338): max of 5 numbers with
two hidden layers, checked exactly as an identity of CPWL functions on all of R^5."""
from __future__ import annotations

from ..verify import Row, claim, verdict

_NOTE = ("max = 1/2 (P1+P2+P3+P4+Q-R13-R14-R23-R24), each term a max of two "
         "one-hidden-layer functions (relugeom.maxfive); shape and P1 as quoted "
         "second-hand from the paper, P2..P4, Q, R_ij reconstructed from its simplex "
         "subdivision; the gadget tree (Theorem 2.1 route) needs ceil(log2 5) = 3 hidden "
         "layers")


_MAX5 = "Bakaev et al. 2025: max(x1..x5) with 2 hidden layers"


@claim("Bakaev et al. 2025: max of 5", [_MAX5])
def max_of_five(full: bool) -> list[Row]:
    from ...depth.maxfive import max_of_five_network, verify_max_of_five
    net = max_of_five_network()
    shape = f"n=5, widths {net.widths}, size {net.size}"
    rows = []
    ok = net.n_hidden_layers == 2 and verify_max_of_five()
    rows.append(Row(_MAX5, shape,
                    "2 hidden layers",
                    "equal on R^5 (exact)" if ok else "not equal to max on R^5",
                    "exact", verdict(ok),
                    _NOTE + "; decided by networks_equal over every activation region of "
                    "the difference on R^5", source="outside"))
    from ...depth.certificates import MAX5_EXAMPLE, decide, load_certificate
    res = decide(load_certificate(MAX5_EXAMPLE))
    rows.append(Row(_MAX5,
                    "n=5 certificate (issue format), 3 terms", "2 hidden layers",
                    "equal on R^5 (exact)" if res.holds else "not equal to max on R^5",
                    "exact", verdict(res.holds),
                    "relugeom.certificates: F symmetric by construction, reduced to the "
                    "sorted cone, where the first layer is linear; canonical hinge forms "
                    f"compared ({res.seconds:.3f} s)", source="outside"))
    if full:
        ok_box = net.n_hidden_layers == 2 and verify_max_of_five(box=True)
        rows.append(Row(_MAX5,
                        shape + ", [-1,1]^5 + homogeneity", "2 hidden layers",
                        "equal on R^5 (exact)" if ok_box else "not equal to max on R^5",
                        "exact", verdict(ok_box),
                        _NOTE + "; second route: exact regions in [-1,1]^5, extended to "
                        "R^5 by positive homogeneity (all biases zero)", source="outside"))
    return rows
