"""The EVM oracle (`vecverify.frontends.solidity.evm`) against the real EVM (py-evm).

Why these tests: the oracle is what confirms the verifier's Solidity counterexamples, so its
own mistakes (a slot computed wrong, a panic misread, a location off by a line) would make
true counterexamples look false or the other way round.  Every test runs real bytecode that
solcjs (the frontend's compiler) produced: storage written with `set_storage` is read back
both by solc's own code (getter functions) and by `get_storage`, and values written by solc's
code are read by `get_storage`.

One contract is compiled once per module; the compiler output is cached by the frontend.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from eth_utils import keccak
from vecverify.frontends.solidity.cache import solcjs_dir

evm = pytest.importorskip("vecverify.frontends.solidity.evm")
Harness, Outcome, PANIC_KINDS = evm.Harness, evm.Outcome, evm.PANIC_KINDS

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not Path(solcjs_dir(), "node_modules", "solc").is_dir(),
    reason="needs node and solcjs in vecverify's cache directory")

SOURCE = """\
// SPDX-License-Identifier: GPL-3.0
pragma solidity ^0.8.0;

contract Base {
    uint8 public small;
    uint16 public medium;
    bool public flag;
    address public owner;
    uint public inherited;

    function basePrivate(uint x) private pure returns (uint) {
        return x * 2;
    }
    function baseInternal(uint x) internal pure returns (uint) {
        return basePrivate(x) + 1;
    }
}

contract C is Base {
    struct S { uint a; uint8 b; bool c; }
    enum Dir { North, East, South, West }
    error Custom(uint code, address who);

    int8 public neg;
    uint[] public xs;
    uint8[] public bytesish;
    uint[][] public nested;
    S public single;
    S[] public structs;
    mapping(uint => uint) public m;
    mapping(address => S) public ms;
    mapping(uint => uint[]) public mxs;
    uint[3] public fixedArr;
    string public text;
    bytes public blob;
    mapping(uint => mapping(uint => uint)) public mm;
    uint public counter;
    uint public immutable limit;
    struct WithMap { uint a; mapping(uint => uint) m; }
    WithMap withMap;

    constructor(uint start) payable {
        require(start != 13, "unlucky");
        counter = start;
        limit = start * 10;
    }

    function checkedAdd(uint a, uint b) public pure returns (uint) {
        return a + b;
    }
    function uncheckedAdd(uint a, uint b) public pure returns (uint) {
        unchecked { return a + b; }
    }
    function divide(uint a, uint b) public pure returns (uint) {
        return a / b;
    }
    function assertPositive(int x) public pure {
        assert(x > 0);
    }
    function toDir(uint x) public pure returns (Dir) {
        return Dir(x);
    }
    function popXs() public {
        xs.pop();
    }
    function readXs(uint i) public view returns (uint) {
        return xs[i];
    }
    function needs(uint x) public pure returns (uint) {
        require(x > 10, "x too small");
        return x;
    }
    function fail(uint code) public view {
        revert Custom(code, msg.sender);
    }
    function values() public pure returns (int16, bool, uint[] memory) {
        uint[] memory a = new uint[](3);
        a[0] = 7; a[2] = 9;
        return (-300, true, a);
    }
    function whoAmI() public view returns (address) {
        return msg.sender;
    }
    function paid() public payable returns (uint) {
        return msg.value;
    }
    function bump() public returns (uint) {
        counter += 1;
        return counter;
    }
    function loop(uint n) public pure returns (uint s) {
        for (uint i = 0; i < n; i++) { s += i; }
    }
    function over(uint a) public pure returns (uint) { return a; }
    function over(uint a, int8 b) public pure returns (int) { return int(a) + b; }

    // getters that let solc's own code read what set_storage wrote
    function getPacked() public view returns (uint8, uint16, bool, address, uint) {
        return (small, medium, flag, owner, inherited);
    }
    function getXs() public view returns (uint[] memory) { return xs; }
    function getBytesish() public view returns (uint8[] memory) { return bytesish; }
    function getNested() public view returns (uint[][] memory) { return nested; }
    function getSingle() public view returns (S memory) { return single; }
    function getStructs() public view returns (S[] memory) { return structs; }
    function getMs(address k) public view returns (S memory) { return ms[k]; }
    function getMxs(uint k) public view returns (uint[] memory) { return mxs[k]; }
    function getFixed() public view returns (uint[3] memory) { return fixedArr; }
    function getText() public view returns (string memory, bytes memory) { return (text, blob); }

    // setters that let solc's own code write what get_storage reads
    function setPacked(uint8 a, uint16 b, bool c, address d) public {
        small = a; medium = b; flag = c; owner = d;
    }
    function setNeg(int8 x) public { neg = x; }
    function pushBytesish(uint8 x) public { bytesish.push(x); }
    function setMs(address k, uint a, uint8 b, bool c) public { ms[k] = S(a, b, c); }
    function setText(string memory t, bytes memory b) public { text = t; blob = b; }
    function setMm(uint i, uint j, uint v) public { mm[i][j] = v; }

    // internal and private functions, called through generated wrappers
    function sumFirst(uint[] memory a, uint8 b) private pure returns (S memory) {
        return S(a[0] + a[1], b, a.length > 2);
    }
    function internalSender() internal view returns (address, uint) {
        return (msg.sender, xs.length);
    }
    function twice(uint x) internal pure returns (uint) {
        return baseInternal(x) * 2;
    }
    function grow(uint[] storage a) internal { a.push(1); }
    function firstStored(uint i) internal view returns (S storage) { return structs[i]; }
    function mapped() internal view returns (WithMap storage) { return withMap; }
    function applyTo(function (uint) internal pure returns (uint) f) internal pure returns (uint) {
        return f(1);
    }
}
"""

FUNCTIONS = ["sumFirst", "internalSender", "twice", "grow", "firstStored", "basePrivate",
             "checkedAdd", "missing", "mapped", "applyTo"]
ALICE = 0xA11CE00000000000000000000000000000000001
BOB = 0x00000000000000000000000000000000000B0B


def line_of(fragment: str) -> int:
    """1-based line of SOURCE that is `fragment` (stripped), else the unique one containing it."""
    lines = [i for i, text in enumerate(SOURCE.splitlines(), 1) if text.strip() == fragment] \
        or [i for i, text in enumerate(SOURCE.splitlines(), 1) if fragment in text]
    assert len(lines) == 1, fragment
    return lines[0]


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> str:
    p = tmp_path_factory.mktemp("evm") / "C.sol"
    p.write_text(SOURCE)
    return str(p)


@pytest.fixture(scope="module")
def harness(path: str) -> Harness:
    return Harness.compile(path, contract="C", functions=FUNCTIONS)


@pytest.fixture
def inst(harness: Harness):
    return harness.deploy()


# ---------------------------------------------------------------------------------------------
# Panics, reverts, return values, locations


def test_assert_failure_is_panic_0x01_at_the_assert(inst, path: str) -> None:
    out = inst.call("assertPositive", [-1])
    assert out.reverted and out.panic == 0x01 and PANIC_KINDS[out.panic] == "assert"
    assert out.location == (path, line_of("assert(x > 0)"), 9)
    assert inst.call("assertPositive", [1]).success


def test_checked_add_overflows_and_unchecked_wraps(inst, path: str) -> None:
    out = inst.call("checkedAdd", [2**256 - 1, 1])
    assert out.reverted and out.panic == 0x11
    assert evm.panic_matches(out.panic, "overflow") and evm.panic_matches(out.panic, "underflow")
    text = SOURCE.splitlines()[line_of("return a + b;") - 1]
    assert out.location == (path, line_of("return a + b;"), text.index("a + b") + 1)
    wrapped = inst.call("uncheckedAdd", [2**256 - 1, 2])
    assert not wrapped.reverted and wrapped.panic is None and wrapped.returned == (1,)


def test_division_by_zero_is_panic_0x12(inst, path: str) -> None:
    out = inst.call("divide", [5, 0])
    assert out.panic == 0x12 and PANIC_KINDS[0x12] == "division-by-zero"
    assert out.location[:2] == (path, line_of("return a / b;"))
    assert inst.call("divide", [7, 2]).returned == (3,)


def test_enum_conversion_out_of_range_is_panic_0x21(inst, path: str) -> None:
    assert inst.call("toDir", [3]).returned == (3,)
    out = inst.call("toDir", [4])
    assert out.panic == 0x21 and out.location[:2] == (path, line_of("return Dir(x);"))


def test_pop_on_empty_array_is_panic_0x31(inst, path: str) -> None:
    out = inst.call("popXs")
    assert out.panic == 0x31 and out.location[:2] == (path, line_of("xs.pop();"))


def test_index_out_of_bounds_is_panic_0x32(inst, path: str) -> None:
    inst.set_storage({"xs": [4, 5]})
    assert inst.call("readXs", [1]).returned == (5,)
    out = inst.call("readXs", [2])
    assert out.panic == 0x32
    text = SOURCE.splitlines()[line_of("return xs[i];") - 1]
    assert out.location == (path, line_of("return xs[i];"), text.index("xs[i]") + 1)


def test_require_reverts_without_panic_and_with_its_reason(inst, path: str) -> None:
    out = inst.call("needs", [3])
    assert out.reverted and out.panic is None and out.reason == "x too small"
    assert out.location[:2] == (path, line_of('require(x > 10, "x too small");'))
    assert inst.call("needs", [11]).returned == (11,)


def test_custom_error_is_decoded_by_selector(inst) -> None:
    out = inst.call("fail", [7], sender=BOB)
    assert out.reverted and out.panic is None and out.reason is None
    assert out.selector == keccak(text="Custom(uint256,address)")[:4]
    assert out.custom_error == "Custom(uint256,address)" and out.error_args == (7, BOB)
    assert out.error[:4] == out.selector and len(out.error) == 4 + 64


def test_return_values_are_decoded(inst) -> None:
    out = inst.call("values")
    assert out.returned == (-300, True, [7, 0, 9])
    assert out.gas_used > 0 and not out.out_of_gas


def test_out_of_gas_is_reported(inst) -> None:
    out = inst.call("loop", [10_000], gas=50_000)
    assert out.reverted and out.out_of_gas and out.panic is None
    assert inst.call("loop", [10]).returned == (45,)


def test_msg_sender_and_value_reach_the_function(inst) -> None:
    assert inst.call("whoAmI", sender=ALICE).returned == (ALICE,)
    assert inst.call("whoAmI", sender=BOB).returned == (BOB,)
    assert inst.call("paid", value=123).returned == (123,)
    assert inst.balance() == 123
    assert inst.call("checkedAdd", [1, 2], value=1).reverted  # not payable


def test_overloads_are_called_by_signature(harness: Harness, inst) -> None:
    with pytest.raises(evm.EvmError, match="overloaded"):
        inst.call("over", [1])
    assert inst.call("over(uint256)", [5]).returned == (5,)
    assert inst.call("over(uint256,int8)", [5, -7]).returned == (-2,)
    assert harness.function_signature("checkedAdd") == "checkedAdd(uint256,uint256)"


# ---------------------------------------------------------------------------------------------
# Storage round trips


def test_packed_value_types_share_one_slot(inst) -> None:
    values = {"small": 200, "medium": 65000, "flag": True, "owner": ALICE, "inherited": 77}
    inst.set_storage(values)
    assert inst.call("getPacked").returned == (200, 65000, True, ALICE, 77)
    assert {k: inst.get_storage(k) for k in values} == values
    slot0 = inst.raw_storage(0)
    assert slot0 == 200 | 65000 << 8 | 1 << 24 | ALICE << 32
    # and what solc's code writes, we read
    inst.call("setPacked", [7, 513, False, BOB])
    assert [inst.get_storage(k) for k in ("small", "medium", "flag", "owner", "inherited")] \
        == [7, 513, False, BOB, 77]


def test_negative_int8(inst) -> None:
    inst.set_storage({"neg": -100})
    assert inst.call("neg").returned == (-100,) and inst.get_storage("neg") == -100
    inst.call("setNeg", [-1])
    assert inst.get_storage("neg") == -1


def test_dynamic_arrays(inst) -> None:
    inst.set_storage({"xs": [1, 2, 3], "bytesish": list(range(40)),
                      "nested": [[1], [], [2, 3, 4]]})
    assert inst.call("getXs").returned == ([1, 2, 3],)
    assert inst.call("getBytesish").returned == (list(range(40)),)
    assert inst.call("getNested").returned == ([[1], [], [2, 3, 4]],)
    assert inst.get_storage("xs") == [1, 2, 3]
    assert inst.get_storage("bytesish") == list(range(40))
    assert inst.get_storage("nested") == [[1], [], [2, 3, 4]]
    # shrinking clears the old elements, as an assignment would
    inst.set_storage({"xs": [9]})
    assert inst.call("readXs", [1]).panic == 0x32 and inst.get_storage("xs") == [9]
    # packed elements pushed by solc's code
    inst.set_storage({"bytesish": []})
    for v in (5, 6, 255):
        inst.call("pushBytesish", [v])
    assert inst.get_storage("bytesish") == [5, 6, 255]


def test_structs_and_arrays_of_structs(inst) -> None:
    inst.set_storage({"single": {"a": 5, "b": 6, "c": True},
                      "structs": [(1, 2, False), {"a": 3, "b": 255, "c": True}]})
    assert inst.call("getSingle").returned == ((5, 6, True),)
    assert inst.call("getStructs").returned == ([(1, 2, False), (3, 255, True)],)
    assert inst.get_storage("single") == {"a": 5, "b": 6, "c": True}
    assert inst.get_storage("structs") == [{"a": 1, "b": 2, "c": False},
                                           {"a": 3, "b": 255, "c": True}]


def test_mappings(inst) -> None:
    inst.set_storage({"m": {1: 10, 2**255: 20},
                      "ms": {ALICE: {"a": 1, "b": 2, "c": True}, BOB: (3, 4, False)},
                      "mxs": {7: [1, 2], 8: []}})
    assert inst.call("m", [1]).returned == (10,) and inst.call("m", [2**255]).returned == (20,)
    assert inst.call("m", [3]).returned == (0,)
    assert inst.call("getMs", [ALICE]).returned == ((1, 2, True),)
    assert inst.call("getMs", [BOB]).returned == ((3, 4, False),)
    assert inst.call("getMxs", [7]).returned == ([1, 2],)
    assert inst.get_storage("m", keys=[1, 2**255, 3]) == {1: 10, 2**255: 20, 3: 0}
    assert inst.get_storage("ms", keys=[ALICE]) == {ALICE: {"a": 1, "b": 2, "c": True}}
    assert inst.get_storage("mxs", keys=[7, 8]) == {7: [1, 2], 8: []}
    inst.call("setMs", [BOB, 9, 8, True])
    assert inst.get_storage("ms", keys=[BOB]) == {BOB: {"a": 9, "b": 8, "c": True}}
    # nested mappings, both directions
    inst.call("setMm", [1, 2, 3])
    assert inst.get_storage("mm", keys=[[1, 5], [2]]) == {1: {2: 3}, 5: {2: 0}}
    inst.set_storage({"mm": {4: {5: 6}}})
    assert inst.call("mm", [4, 5]).returned == (6,)
    assert inst.get_storage("mm", keys={4: [5]}) == {4: {5: 6}}


def test_fixed_array(inst) -> None:
    inst.set_storage({"fixedArr": [1, 2, 3]})
    assert inst.call("getFixed").returned == ([1, 2, 3],)
    assert inst.get_storage("fixedArr") == [1, 2, 3]


@pytest.mark.parametrize("text, blob", [("hi", b"\x01\x02"),
                                        ("x" * 31, b"\xff" * 32),
                                        ("long " * 20, bytes(range(100)))])
def test_string_and_bytes_short_and_long(inst, text: str, blob: bytes) -> None:
    inst.set_storage({"text": text, "blob": blob})
    assert inst.call("getText").returned == (text, blob)
    assert inst.get_storage("text") == text and inst.get_storage("blob") == blob
    inst.call("setText", [text[::-1] + "!", blob + b"?"])
    assert inst.get_storage("text") == text[::-1] + "!"
    assert inst.get_storage("blob") == blob + b"?"
    # a long value replaced by a short one reads back short
    inst.set_storage({"text": "s"})
    assert inst.call("getText").returned[0] == "s"


def test_inherited_state_variables(inst) -> None:
    inst.set_storage({"inherited": 42, "small": 1})
    assert inst.call("inherited").returned == (42,) and inst.call("small").returned == (1,)
    assert inst.get_storage("inherited") == 42
    # solc puts inherited variables first
    assert int(inst.harness.layout.variable("inherited")["slot"]) < \
        int(inst.harness.layout.variable("neg")["slot"])


# ---------------------------------------------------------------------------------------------
# Internal and private functions


def test_private_function_with_memory_array_returning_a_struct(inst, path: str) -> None:
    assert inst.call("sumFirst", [[3, 4, 5], 9]).returned == ((7, 9, True),)
    out = inst.call("sumFirst", [[3], 9])
    assert out.panic == 0x32
    assert out.location[:2] == (path, line_of("return S(a[0] + a[1], b, a.length > 2);"))


def test_internal_functions_and_inherited_private_ones(harness: Harness, inst) -> None:
    inst.set_storage({"xs": [1, 2]})
    assert inst.call("internalSender", sender=ALICE).returned == (ALICE, 2)
    assert inst.call("twice", [5]).returned == (22,)
    assert inst.call("basePrivate", [8]).returned == (16,)
    assert harness.function_signature("sumFirst") == "sumFirst(uint256[],uint8)"
    out = inst.call("twice", [2**255])
    assert out.panic == 0x11 and out.location[1] == line_of("return x * 2;")


def test_unwrappable_functions_are_reported_not_raised(harness: Harness, inst) -> None:
    assert "storage pointer" in harness.unwrappable["grow"]
    assert "function type" in harness.unwrappable["applyTo"]
    assert "solc rejects its wrapper" in harness.unwrappable["mapped"]  # compiled without it
    assert "missing" in harness.unwrappable
    assert "checkedAdd" not in harness.unwrappable  # public: callable as it is
    with pytest.raises(evm.EvmError, match="storage pointer"):
        inst.call("grow", [])
    # a storage pointer *returned* is copied to memory by the wrapper
    inst.set_storage({"structs": [(1, 2, True)]})
    assert inst.call("firstStored", [0]).returned == ((1, 2, True),)


# ---------------------------------------------------------------------------------------------
# State across calls, snapshots, constructor, one-shot helper


def test_state_persists_and_snapshots_isolate(inst) -> None:
    assert inst.call("bump").returned == (1,)
    snap = inst.snapshot()
    assert inst.call("bump").returned == (2,)
    inst.set_storage({"xs": [1]})
    inst.restore(snap)
    assert inst.get_storage("counter") == 1 and inst.get_storage("xs") == []
    assert inst.call("bump").returned == (2,)
    inst.restore(snap)  # a snapshot can be restored again
    assert inst.call("bump").returned == (2,)
    # a failed call leaves no trace
    inst.set_storage({"xs": []})
    assert inst.call("popXs").reverted and inst.get_storage("counter") == 2


def test_constructor_runs_and_its_failures_are_located(harness: Harness, path: str) -> None:
    inst = harness.construct(args=[5], value=10)
    assert inst.outcome.success and inst.get_storage("counter") == 5 and inst.balance() == 10
    assert inst.call("bump").returned == (6,)
    assert inst.call("limit").returned == (50,)
    bad = harness.construct(args=[13])
    assert bad.outcome.reverted and bad.outcome.reason == "unlucky"
    assert bad.outcome.location[:2] == (path, line_of('require(start != 13, "unlucky");'))


def test_deploy_skips_the_constructor_but_can_set_immutables(harness: Harness) -> None:
    inst = harness.deploy()
    assert inst.call("limit").returned == (0,) and inst.get_storage("counter") == 0
    assert harness.deploy(immutables={"limit": 9}).call("limit").returned == (9,)


def test_run_source() -> None:
    text = ("// SPDX-License-Identifier: GPL-3.0\npragma solidity ^0.8.0;\n"
            "contract R {\n    uint[] xs;\n"
            "    function at(uint i) internal view returns (uint) { return xs[i]; }\n}\n")
    assert evm.run_source(text, "R", "at", [1], storage={"xs": [4, 5]}).returned == (5,)
    out = evm.run_source(text, "R", "at", [2], storage={"xs": [4, 5]})
    assert out.panic == 0x32 and out.location[1:] == (5, 63)


# ---------------------------------------------------------------------------------------------
# Random round trips: what set_storage writes, solc's code reads, and the other way round

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(small=st.lists(st.integers(0, 255), max_size=70),
       text=st.text(max_size=80),
       neg=st.integers(-128, 127),
       key=st.integers(0, 2**160 - 1),
       member=st.tuples(st.integers(0, 2**256 - 1), st.integers(0, 255), st.booleans()))
def test_random_round_trips(harness: Harness, small: list[int], text: str, neg: int, key: int,
                            member: tuple[int, int, bool]) -> None:
    inst = harness.deploy()
    inst.set_storage({"bytesish": small, "text": text, "neg": neg, "ms": {key: member}})
    assert inst.call("getBytesish").returned == (small,)
    assert inst.call("getText").returned[0] == text
    assert inst.call("neg").returned == (neg,)
    assert inst.call("getMs", [key]).returned == (member,)
    inst.call("setText", [text + text, b""])
    inst.call("setMs", [key, member[0], member[1], not member[2]])
    assert inst.get_storage("text") == text + text
    assert inst.get_storage("ms", keys=[key])[key] == {"a": member[0], "b": member[1],
                                                      "c": not member[2]}
