// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

// AllowList: the owner maintains an enumerable allow list (address[] plus a membership mapping)
// without duplicates. remove() searches the array linearly and deletes with swap-and-pop.
// BUGGY: remove() does not check that the search found the account (`require(i < n)` is
// missing): on an empty list `n - 1` underflows, and for a non-member it writes members[n].

/// @notice invariant forall (uint i) i < members.length ==> allowed[members[i]]
/// @notice invariant forall (uint i, uint j) i < j && j < members.length ==> members[i] != members[j]
contract AllowList {
    address public owner;
    address[] public members;
    mapping(address => bool) public allowed;

    event Added(address indexed account);
    event Removed(address indexed account);

    modifier onlyOwner() {
        require(msg.sender == owner, "not owner");
        _;
    }

    constructor() {
        owner = msg.sender;
    }

    /// @notice postcondition allowed[a]
    /// @notice postcondition members.length == __verifier_old_uint(members.length) + 1
    /// @notice postcondition members[members.length - 1] == a
    function add(address a) public onlyOwner {
        require(!allowed[a], "already allowed");
        allowed[a] = true;
        members.push(a);
        emit Added(a);
    }

    /// @notice postcondition !allowed[a]
    /// @notice postcondition members.length == __verifier_old_uint(members.length) - 1
    function remove(address a) public onlyOwner {
        uint n = members.length;
        uint i = 0;
        /// @notice invariant i <= n
        /// @notice invariant forall (uint k) k < i ==> members[k] != a
        while (i < n && members[i] != a) {
            i++;
        }
        address last = members[n - 1]; // expect: violated(underflow)
        members[i] = last; // expect: violated(index-out-of-bounds)
        members.pop();
        allowed[a] = false;
        emit Removed(a);
    }

    /// @notice postcondition ok == allowed[a]
    function isAllowed(address a) public view returns (bool ok) {
        ok = allowed[a];
    }

    /// @notice postcondition n == members.length
    function count() public view returns (uint n) {
        n = members.length;
    }
}
