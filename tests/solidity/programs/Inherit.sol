// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

// Inheritance: base constructor arguments, modifiers, virtual dispatch.
contract Base {
    uint public limit;
    address public owner;
    constructor(uint l) { limit = l; owner = msg.sender; }
    modifier onlyOwner() { require(msg.sender == owner); _; }
    function cap() internal view virtual returns (uint) { return limit; }
}

/// @notice invariant items.length <= limit
contract Derived is Base(3) {
    uint[] items;

    function add(uint v) public onlyOwner {
        require(items.length < cap());
        items.push(v);
    }

    function cap() internal view override returns (uint) { return limit; }

    function constructorRan() public view {
        assert(limit == 3); // expect: violated(assert)
    }
}

contract Unsupported {
    function ext(address a) public returns (bool ok) {
        (ok, ) = a.call(""); // expect: unsupported(unsupported)
    }
    function fine(uint x) public pure returns (uint) {
        return x / 2;
    }
}
