// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

// HolderList: the owner keeps a list of token holders in an array plus an index mapping.
// Holders are removed by position with swap-and-pop, and the moved holder's index is updated.
// BUGGY: addHolder records the new holder's index after the push (`indexOf[a] = holders.length`
// is one too large), so indexOf no longer maps holders back to their positions.

/// @notice invariant forall (uint i) i < holders.length ==> isHolder[holders[i]]
/// @notice invariant forall (uint i) i < holders.length ==> indexOf[holders[i]] == i  // expect: violated(contract-invariant)
contract HolderList {
    address public owner;
    address[] public holders;
    mapping(address => bool) public isHolder;
    mapping(address => uint) public indexOf;

    event HolderAdded(address indexed holder);
    event HolderRemoved(address indexed holder);

    modifier onlyOwner() {
        require(msg.sender == owner, "not owner");
        _;
    }

    constructor() {
        owner = msg.sender;
    }

    /// @notice postcondition holders.length == __verifier_old_uint(holders.length) + 1
    /// @notice postcondition holders[holders.length - 1] == a
    /// @notice postcondition isHolder[a]
    /// @notice modifies holders
    /// @notice modifies isHolder[a]
    /// @notice modifies indexOf[a]
    function addHolder(address a) public onlyOwner {
        require(!isHolder[a], "already a holder");
        isHolder[a] = true;
        holders.push(a);
        indexOf[a] = holders.length;
        emit HolderAdded(a);
    }

    /// @notice postcondition holders.length == __verifier_old_uint(holders.length) - 1
    /// @notice postcondition !isHolder[__verifier_old_address(holders[i])]
    /// @notice modifies holders
    /// @notice modifies isHolder
    /// @notice modifies indexOf
    function removeAt(uint i) public onlyOwner {
        require(i < holders.length, "index out of range");
        address a = holders[i];
        uint lastIndex = holders.length - 1;
        address last = holders[lastIndex];
        holders[i] = last;
        indexOf[last] = i;
        holders.pop();
        isHolder[a] = false;
        delete indexOf[a];
        emit HolderRemoved(a);
    }

    /// @notice postcondition n == holders.length
    function holderCount() public view returns (uint n) {
        n = holders.length;
    }

    /// @notice postcondition isHolder[h]
    function holderAt(uint i) public view returns (address h) {
        require(i < holders.length, "index out of range");
        h = holders[i];
        assert(indexOf[h] == i);
    }
}
