// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

// BoundedStack: an owner-managed LIFO of at most CAPACITY values. popMany discards the top k
// values in a loop and leaves the values below untouched.
// BUGGY: popMany does not check k <= items.length, so it pops an empty stack when k is too big.

/// @notice invariant items.length <= CAPACITY
contract BoundedStack {
    uint public constant CAPACITY = 16;

    address public owner;
    uint[] public items;

    modifier onlyOwner() {
        require(msg.sender == owner, "not owner");
        _;
    }

    constructor() {
        owner = msg.sender;
    }

    /// @notice postcondition items.length == __verifier_old_uint(items.length) + 1
    /// @notice postcondition items[items.length - 1] == v
    /// @notice postcondition forall (uint j) j < items.length - 1 ==> items[j] == __verifier_old_uint(items[j])
    function push(uint v) public onlyOwner {
        require(items.length < CAPACITY, "stack full");
        items.push(v);
    }

    /// @notice postcondition items.length == __verifier_old_uint(items.length) - 1
    /// @notice postcondition v == __verifier_old_uint(items[items.length - 1])
    function pop() public onlyOwner returns (uint v) {
        require(items.length > 0, "stack empty");
        v = items[items.length - 1];
        items.pop();
    }

    /// @notice postcondition v == items[items.length - 1]
    function peek() public view returns (uint v) {
        require(items.length > 0, "stack empty");
        v = items[items.length - 1];
    }

    /// @notice postcondition items.length == __verifier_old_uint(items.length) - k
    /// @notice postcondition forall (uint j) j < items.length ==> items[j] == __verifier_old_uint(items[j])
    function popMany(uint k) public onlyOwner {
        /// @notice invariant n <= k
        /// @notice invariant items.length + n == __verifier_old_uint(items.length)
        /// @notice invariant forall (uint j) j < items.length ==> items[j] == __verifier_old_uint(items[j])
        for (uint n = 0; n < k; n++) {
            items.pop(); // expect: violated(pop-empty)
        }
    }
}
