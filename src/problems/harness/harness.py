# Runs a candidate's Python solution against a job's test inputs, inside the sandbox.
#
# Trust model: this file runs in the same process as untrusted code, so it decides nothing. It
# reports what the solution returned for each test as JSON lines on the original stdout; the parent
# compares them with expected values that never enter the sandbox. A solution that forges records
# or exits early can only make tests fail, and the time limits run on the parent's clock (a record's
# "ms" can only make a test slower). The candidate's own prints go to stderr (fd 1 is
# re-pointed there) so they cannot mix with the records; each record starts on a fresh line.
import collections
import json
import linecache
import os
import sys
import threading
import time
import traceback

PROTO = os.fdopen(os.dup(1), "w", encoding="utf-8", errors="replace")
os.dup2(2, 1)
sys.stdout = open(1, "w", encoding="utf-8", errors="replace", buffering=1, closefd=False)

SOLUTION_NAME = "solution.py"


def send(record):
    send_line(json.dumps(record, separators=(",", ":")))


def send_line(line):
    PROTO.write("\n" + line + "\n")
    PROTO.flush()


class ListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next

    def __repr__(self):
        return "ListNode(%r)" % (self.val,)


class TreeNode:
    def __init__(self, val=0, left=None, right=None):
        self.val = val
        self.left = left
        self.right = right

    def __repr__(self):
        return "TreeNode(%r)" % (self.val,)


def to_list_node(values):
    head = None
    for v in reversed(values or []):
        head = ListNode(v, head)
    return head


def to_tree_node(values):
    if not values or values[0] is None:
        return None
    root = TreeNode(values[0])
    queue = [root]
    i, qi = 1, 0
    while i < len(values) and qi < len(queue):
        node = queue[qi]
        qi += 1
        if i < len(values) and values[i] is not None:
            node.left = TreeNode(values[i])
            queue.append(node.left)
        i += 1
        if i < len(values) and values[i] is not None:
            node.right = TreeNode(values[i])
            queue.append(node.right)
        i += 1
    return root


def from_list_node(node):
    out, seen = [], 0
    while node is not None:
        out.append(plain(node.val))
        node = node.next
        seen += 1
        if seen > 10_000_000:
            raise ValueError("the returned linked list has a cycle")
    return out


def from_tree_node(root):
    if root is None:
        return []
    out, queue, qi = [], [root], 0
    while qi < len(queue):
        node = queue[qi]
        qi += 1
        if node is None:
            out.append(None)
        else:
            out.append(plain(node.val))
            queue.append(node.left)
            queue.append(node.right)
        if qi > 10_000_000:
            raise ValueError("the returned tree has a cycle")
    while out and out[-1] is None:
        out.pop()
    return out


def convert_in(value, type_name):
    if type_name == "ListNode":
        return to_list_node(value)
    if type_name == "TreeNode":
        return to_tree_node(value)
    if type_name.endswith("[]") and isinstance(value, list) and type_name[:-2] in ("ListNode", "TreeNode", "ListNode[]", "TreeNode[]"):
        return [convert_in(v, type_name[:-2]) for v in value]
    return value


def decode_special(obj):
    """JSON has no infinity or NaN: {"$float": "inf"} in a test's input is the float itself."""
    if len(obj) == 1 and isinstance(obj.get("$float"), str):
        return float(obj["$float"])
    return obj


def plain(value):
    """The JSON form of a returned value: tuples and sets become lists, nodes their serialisation."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return {"$float": repr(value)}
        return value
    if isinstance(value, ListNode):
        return from_list_node(value)
    if isinstance(value, TreeNode):
        return from_tree_node(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((plain(v) for v in value), key=lambda v: json.dumps(v))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    try:
        import collections
        if isinstance(value, collections.deque):
            return [plain(v) for v in value]
    except Exception:
        pass
    raise TypeError("returned a %s, which cannot be compared" % type(value).__name__)


def plain_as(value, type_name):
    """Like plain(), but an empty linked list or tree (None) is written as [] like LeetCode does."""
    if value is None and type_name in ("ListNode", "TreeNode"):
        return []
    return plain(value)


def candidate_trace(exc):
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == SOLUTION_NAME]
    lines = []
    if frames:
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_list(frames))
    lines.extend(traceback.format_exception_only(type(exc), exc))
    return "".join(lines).rstrip()


def error_record(exc):
    line = None
    for f in traceback.extract_tb(exc.__traceback__):
        if f.filename == SOLUTION_NAME:
            line = f.lineno
    return {"type": type(exc).__name__, "message": str(exc)[:2000], "trace": candidate_trace(exc)[:8000], "line": line}


class CapturedOutput:
    """What the solution prints during one test: forwarded to stderr (so the output limit counts
    it) and the first bytes kept for the test's record."""

    def __init__(self, cap):
        self.cap = cap
        self.kept = []
        self.size = 0

    def write(self, text):
        if self.size < self.cap:
            self.kept.append(text[: self.cap - self.size])
        self.size += len(text)
        return sys.__stderr__.write(text)

    def flush(self):
        sys.__stderr__.flush()

    def text(self):
        return "".join(self.kept)


# What LeetCode's Python environment has imported before the candidate's code runs; imported
# datasets' references (and the expressions in their tests) rely on all of it.
LEETCODE_PREAMBLE = (
    "from typing import *\nimport collections, heapq, bisect, math, itertools, functools, re, string, random, operator, datetime\n"
    "from collections import *\nfrom heapq import *\nfrom bisect import *\nfrom functools import *\nfrom itertools import *\n"
    "from string import *\nfrom operator import *\nfrom math import *\ninf = float('inf')\n"
)


def sorted_containers():
    """SortedList and friends from Debian's python3-sortedcontainers. The interpreter runs with -S
    (no site-packages), so only that package's folder is put on the path, and only while importing."""
    names = ("SortedList", "SortedDict", "SortedSet", "SortedKeyList")
    for folder in ([], ["/usr/lib/python3/dist-packages"]):
        sys.path[:0] = folder
        try:
            import sortedcontainers
            return {n: getattr(sortedcontainers, n) for n in names}
        except ImportError:
            pass
        finally:
            del sys.path[: len(folder)]
    return {}


def leetcode_namespace():
    ns = {"__name__": "__main__", "__file__": SOLUTION_NAME, "ListNode": ListNode, "TreeNode": TreeNode}
    exec(LEETCODE_PREAMBLE, ns)
    ns.update(sorted_containers())
    return ns


def load_namespace(source):
    ns = leetcode_namespace()
    linecache.cache[SOLUTION_NAME] = (len(source), None, source.splitlines(True), SOLUTION_NAME)
    code = compile(source, SOLUTION_NAME, "exec")
    return ns, code


def find_function(ns, entry):
    """`Solution.method` or `function`; either form is accepted from the candidate."""
    cls_name, _, method = entry.rpartition(".")
    cls_name = cls_name or "Solution"
    cls = ns.get(cls_name)
    if isinstance(cls, type) and callable(getattr(cls, method, None)):
        return lambda *args: getattr(cls(), method)(*args)
    if callable(ns.get(method)) and not isinstance(ns.get(method), type):
        return ns[method]
    raise LookupError("define class %s with a method %s, or a function %s" % (cls_name, method, method))


def encode_special(value):
    """json.dumps calls this only for what JSON cannot hold natively: nodes, sets, deques."""
    if isinstance(value, (ListNode, TreeNode, set, frozenset)):
        return plain(value)
    if isinstance(value, collections.deque):
        return list(value)
    raise TypeError("returned a %s, which cannot be compared" % type(value).__name__)


def result_line(record):
    """One C-level json.dumps for the common case; the slow converter only for NaN and infinities."""
    try:
        return json.dumps(record, separators=(",", ":"), default=encode_special, allow_nan=False)
    except ValueError:
        record = dict(record, value=plain(record["value"]))
        return json.dumps(record, separators=(",", ":"), allow_nan=False)


def run_design_test(ns, job, test):
    design = job["design"]
    cls = ns.get(design["class"])
    if not isinstance(cls, type):
        raise LookupError("define class %s" % design["class"])
    ops, arglists = test["ops"], test["args"]
    ctor_args = [convert_in(a, t) for a, t in zip(arglists[0], design["constructor"])]
    obj = cls(*ctor_args)
    results = [None]
    for op, args in zip(ops[1:], arglists[1:]):
        spec = design["methods"][op]
        method = getattr(obj, op, None)
        if not callable(method):
            raise LookupError("class %s has no method %s" % (design["class"], op))
        value = method(*[convert_in(a, t) for a, t in zip(args, spec["params"])])
        results.append(None if spec["returns"] == "void" else plain_as(value, spec["returns"]))
    return results


def evaluate_expressions(job):
    """An imported dataset's test values written as Python (`[[i % 3, 1] for i in range(50000)]`):
    each is evaluated in LeetCode's environment and sent back as JSON, or as the reason it failed.
    A value whose JSON is over the size cap is refused rather than stored."""
    ns = leetcode_namespace()
    ns["list_node"] = ns["tree_node"] = lambda values: values
    cap = job["sizeCap"]
    for i, text in enumerate(job["expressions"]):
        try:
            line = result_line({"t": "value", "i": i, "value": plain(eval(text, ns))})
            record = line if len(line) <= cap else json.dumps({"t": "refused", "i": i, "reason": "its value is over %d MB" % (cap // 1_000_000)})
        except BaseException as exc:
            record = json.dumps({"t": "refused", "i": i, "reason": "%s: %s" % (type(exc).__name__, str(exc)[:200])})
        send_line(record)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        job = json.load(f, object_hook=decode_special)
    # Before any candidate code, once the job is read (the parent's clock for loading starts here):
    # tells the parent the sandbox and interpreter came up.
    send({"t": "hello"})
    if job["kind"] == "evaluate":
        evaluate_expressions(job)
        return
    with open(os.path.join(os.path.dirname(sys.argv[1]), job["solution"]), encoding="utf-8", errors="replace") as f:
        source = f.read()
    try:
        ns, code = load_namespace(source)
    except SyntaxError as exc:
        send({"t": "compile_error", "line": exc.lineno, "message": "%s: %s" % (type(exc).__name__, exc.msg)})
        return
    try:
        exec(code, ns)
        fn = None if job["kind"] == "design" else find_function(ns, job["entry"])
    except LookupError as exc:
        send({"t": "compile_error", "line": None, "message": str(exc).strip("'\"")})
        return
    except BaseException as exc:
        send({"t": "load_error", "error": error_record(exc)})
        return
    send({"t": "ready"})
    cap = job.get("outputCap", 4096)
    for test in job["tests"]:
        captured = CapturedOutput(cap)
        sys.stdout = captured
        # The clock covers the solution's own work, not building its arguments or encoding its
        # answer, so a large input or output does not eat into the candidate's time.
        started = time.perf_counter()
        try:
            if job["kind"] == "design":
                value = run_design_test(ns, job, test)
                elapsed = (time.perf_counter() - started) * 1000
            else:
                args = [convert_in(a, t) for a, t in zip(test["args"], job["params"])]
                started = time.perf_counter()
                value = fn(*args)
                elapsed = (time.perf_counter() - started) * 1000
                if value is None and job["returns"] in ("ListNode", "TreeNode"):
                    value = []
            record = {"t": "result", "i": test["i"], "value": value, "ms": round(elapsed, 3)}
        except BaseException as exc:
            elapsed = (time.perf_counter() - started) * 1000
            record = {"t": "error", "i": test["i"], "error": error_record(exc), "ms": round(elapsed, 3)}
        sys.stdout = sys.__stdout__
        record["out"] = captured.text()
        try:
            send_line(result_line(record))
        except (TypeError, ValueError, RecursionError) as exc:
            send({"t": "error", "i": test["i"], "error": {"type": type(exc).__name__, "message": str(exc), "trace": "%s: %s" % (type(exc).__name__, exc), "line": None}, "ms": record["ms"]})
    send({"t": "done"})


if __name__ == "__main__":
    sys.setrecursionlimit(12000)
    # Deep recursion (a skewed tree, a long linked list) needs a bigger C stack than the main
    # thread's default; the pages are only committed when used, so the memory limit still holds.
    threading.stack_size(256 * 1024 * 1024)
    worker = threading.Thread(target=main)
    worker.start()
    worker.join()
    PROTO.flush()
    os._exit(0)
