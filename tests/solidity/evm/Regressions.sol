// SPDX-License-Identifier: GPL-3.0
pragma solidity ^0.8.0;
// The behaviours of issue 12, each judged by the EVM: every `violated` below is confirmed
// by a replay on py-evm, every check not annotated is proved and holds on the EVM.
contract R {
    string label;                 // a state variable of an unsupported type: no crash
    bytes32 digest;
    enum Dir { Up, Down }
    struct S { uint x; }
    uint[] a; uint[] b; S[] arr; S s1; S s2; uint trace; bool flag; uint v;
    uint[] x;
    function neg() public pure returns (int) { int y; unchecked { y = -1; } assert(y > 0); return y; }  // expect: violated(assert)
    function negChecked() public pure returns (int) { int y = -1; int z = y - 1; assert(z == -2); return z; }
    /// @notice precondition p < q
    function sub(uint p, uint q) private pure returns (uint) { return q - p; }
    function named() public pure returns (uint) { return sub({q: 1, p: 2}); }  // expect: violated(precondition)
    function namedOk() public pure returns (uint) { return sub({q: 2, p: 1}); }
    function mixed(uint p, bool c) private pure returns (uint) { return c ? p : 0; }
    function namedTypes() public pure returns (uint) { uint r = mixed({c: true, p: 2}); assert(r == 2); return r; }
    function set(uint[] memory m) internal pure { if (m.length > 0) m[0] = 3; }
    function memArg() public pure { uint[] memory y = new uint[](1); set(y); assert(y[0] == 0); }  // expect: violated(assert)
    function setS(S memory m) internal pure { m.x = 4; }
    function memStruct() public pure { S memory m = S(1); setS(m); assert(m.x == 1); }  // expect: violated(assert)
    function repoint() public { uint n = b.length; uint[] storage s = a; s = b; s.push(1); assert(b.length == n); }  // expect: violated(assert)
    function frozen() public { delete arr; arr.push(S(5)); arr.push(S(7)); uint i = 0; S storage s = arr[i]; i = 1; assert(s.x == 5); }
    function frozenLast() public { delete arr; arr.push(S(5)); arr.push(S(7)); S storage s = arr[arr.length - 1]; arr.push(S(9)); assert(s.x == 7); }
    function sideEffects() public pure { uint y = 0; uint r = (++y) + (y++); assert(r == 2); }
    function order() public pure { uint y = 1; uint r = y * 10 + (y = 2); assert(r == 22); }
    function indexOrder() public { delete x; x.push(0); x.push(0); x.push(0); uint i = 0; x[i++] = ++i; assert(x[1] == 1 && i == 2); }
    modifier m(uint w) { _; trace = trace * 10 + w; }  // expect: violated(overflow)
    function twice() public m(1) m(2) { }
    function callTwice() public { trace = 0; twice(); assert(trace == 21); }
    function tupleSwap() public { s1.x = 1; s2.x = 2; (s1, s2) = (s2, s1); assert(s1.x == s2.x); }
    function toEnum(uint k) public pure returns (Dir) { return Dir(k); }  // expect: violated(enum-conversion)
    function spurious(uint l) public { require(x.length == 0); x.push(42); for (uint i = 0; i < l; ++i) x.push(23); assert(x[0] == 42); }  // expect: unknown(assert), unknown(index-out-of-bounds)
    /// @notice modifies v if flag
    /// @notice modifies flag
    function modIf() public { if (flag) { v = v + 0; v = 1; flag = false; } }
    function hNeg(int8 q) internal pure returns (int8) { return -q; }  // expect: violated(overflow)
    function lexicalUnchecked(int8 q) public pure returns (int8) { unchecked { return hNeg(q) * 1; } }
    function tupleTargets() public { delete x; (x[2], x[2]) = (0, 6); }  // expect: violated(index-out-of-bounds)
    function dangling() public { delete arr; arr.push(S(1)); S storage p = arr[arr.length - 1]; arr.pop(); p.x = 2; arr.push(); assert(arr[arr.length - 1].x == 0); }  // expect: unsupported(unsupported)
}
