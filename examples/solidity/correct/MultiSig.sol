// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

// MultiSig: a fixed set of owners (owners[] + isOwner) submits, confirms and executes
// transactions. confirmedBy[tx][k] records owner k's confirmation; execute counts them in a loop
// and runs a transaction at most once. Execution is recorded with an event.

/// @notice invariant required >= 1 && required <= owners.length
/// @notice invariant confirmedBy.length == transactions.length
/// @notice invariant forall (uint t) t < confirmedBy.length ==> confirmedBy[t].length == owners.length
/// @notice invariant forall (uint i) i < owners.length ==> isOwner[owners[i]]
contract MultiSig {
    struct Transaction {
        address to;
        uint value;
        bool executed;
    }

    address[] public owners;
    mapping(address => bool) public isOwner;
    uint public required;
    Transaction[] public transactions;
    bool[][] public confirmedBy;

    event Executed(uint indexed id, address to, uint value);

    modifier onlyOwner() {
        require(isOwner[msg.sender], "not owner");
        _;
    }

    constructor(address[] memory initialOwners, uint initialRequired) {
        require(initialRequired >= 1 && initialRequired <= initialOwners.length, "bad threshold");
        /// @notice invariant i <= initialOwners.length
        /// @notice invariant owners.length == i
        /// @notice invariant forall (uint k) k < owners.length ==> isOwner[owners[k]]
        for (uint i = 0; i < initialOwners.length; i++) {
            address o = initialOwners[i];
            require(o != address(0) && !isOwner[o], "invalid or duplicate owner");
            isOwner[o] = true;
            owners.push(o);
        }
        required = initialRequired;
    }

    /// @notice postcondition transactions.length == __verifier_old_uint(transactions.length) + 1
    /// @notice postcondition id == transactions.length - 1 && !transactions[id].executed
    function submit(address to, uint value) public onlyOwner returns (uint id) {
        transactions.push(Transaction(to, value, false));
        confirmedBy.push(new bool[](owners.length));
        id = transactions.length - 1;
    }

    /// @notice postcondition exists (uint k) k < owners.length && owners[k] == msg.sender && confirmedBy[id][k]
    function confirm(uint id) public onlyOwner {
        require(id < transactions.length, "no such transaction");
        require(!transactions[id].executed, "already executed");
        uint k = 0;
        /// @notice invariant k <= owners.length
        while (k < owners.length && owners[k] != msg.sender) {
            k++;
        }
        require(k < owners.length, "not in owner list");
        confirmedBy[id][k] = true;
    }

    /// @notice postcondition transactions[id].executed
    /// @notice postcondition !__verifier_old_bool(transactions[id].executed)
    function execute(uint id) public onlyOwner {
        require(id < transactions.length, "no such transaction");
        require(!transactions[id].executed, "already executed");
        uint count = 0;
        /// @notice invariant i <= owners.length
        /// @notice invariant count <= i
        for (uint i = 0; i < owners.length; i++) {
            if (confirmedBy[id][i]) {
                count++;
            }
        }
        require(count >= required, "not enough confirmations");
        transactions[id].executed = true;
        emit Executed(id, transactions[id].to, transactions[id].value);
    }
}
