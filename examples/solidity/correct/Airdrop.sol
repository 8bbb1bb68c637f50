// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

// Airdrop: the owner registers recipients and amounts (parallel arrays) and then pays them in
// batches from a fixed budget; nextIndex is the cursor of the next unpaid recipient. Transfers
// are recorded with events.

/// @notice invariant recipients.length == amounts.length
/// @notice invariant nextIndex <= recipients.length
/// @notice invariant distributed <= budget
contract Airdrop {
    address public owner;
    uint public budget;
    uint public distributed;
    uint public nextIndex;
    address[] public recipients;
    uint[] public amounts;

    event Airdropped(address indexed to, uint amount);

    modifier onlyOwner() {
        require(msg.sender == owner, "not owner");
        _;
    }

    constructor(uint totalBudget) {
        owner = msg.sender;
        budget = totalBudget;
    }

    /// @notice postcondition recipients.length == __verifier_old_uint(recipients.length) + 1
    /// @notice postcondition amounts[amounts.length - 1] == amount
    function addRecipient(address to, uint amount) public onlyOwner {
        recipients.push(to);
        amounts.push(amount);
    }

    /// @notice postcondition nextIndex >= __verifier_old_uint(nextIndex)
    /// @notice postcondition nextIndex - __verifier_old_uint(nextIndex) <= batchSize
    /// @notice postcondition distributed >= __verifier_old_uint(distributed)
    function processBatch(uint batchSize) public onlyOwner {
        uint end = recipients.length;
        if (batchSize < end - nextIndex) {
            end = nextIndex + batchSize;
        }
        /// @notice invariant nextIndex <= i && i <= end
        /// @notice invariant distributed <= budget
        /// @notice invariant distributed >= __verifier_old_uint(distributed)
        for (uint i = nextIndex; i < end; i++) {
            require(amounts[i] <= budget - distributed, "budget exhausted");
            distributed += amounts[i];
            emit Airdropped(recipients[i], amounts[i]);
        }
        nextIndex = end;
    }

    /// @notice postcondition n == recipients.length - nextIndex
    function pending() public view returns (uint n) {
        n = recipients.length - nextIndex;
    }
}
