// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

// PaymentSplitter: payees (array + shares mapping) split all deposits pro rata. An account's due
// is totalReceived * shares / totalShares; release pays the part not yet released. Payments are
// recorded with events. Payees may be added later, so a due can drop below what was released.

/// @notice invariant totalReceived <= MAX_RECEIVED
/// @notice invariant totalShares <= MAX_TOTAL_SHARES
/// @notice invariant forall (uint i) i < payees.length ==> shares[payees[i]] > 0
contract PaymentSplitter {
    uint public constant MAX_RECEIVED = 1000000000000000000000000000000;
    uint public constant MAX_TOTAL_SHARES = 1000000;

    address public owner;
    address[] public payees;
    mapping(address => uint16) public shares;
    mapping(address => uint) public released;
    uint public totalShares;
    uint public totalReceived;

    event PaymentReleased(address indexed to, uint amount);

    constructor() {
        owner = msg.sender;
    }

    /// @notice postcondition payees.length == __verifier_old_uint(payees.length) + 1
    /// @notice postcondition totalShares == __verifier_old_uint(totalShares) + s
    function addPayee(address a, uint16 s) public {
        require(msg.sender == owner, "not owner");
        require(s > 0, "zero shares");
        require(shares[a] == 0, "already a payee");
        require(s <= MAX_TOTAL_SHARES - totalShares, "too many shares");
        payees.push(a);
        shares[a] = s;
        totalShares += s;
    }

    /// @notice postcondition totalReceived == __verifier_old_uint(totalReceived) + msg.value
    function deposit() public payable {
        require(msg.value <= MAX_RECEIVED - totalReceived, "deposit cap");
        totalReceived += msg.value;
    }

    /// @notice postcondition released[account] == totalReceived * shares[account] / totalShares
    /// @notice postcondition payment > 0
    /// @notice modifies released[account]
    function release(address account) public returns (uint payment) {
        require(totalShares > 0, "no payees");
        uint due = totalReceived * shares[account] / totalShares;
        require(due > released[account], "account is not due payment");
        payment = due - released[account];
        released[account] += payment;
        emit PaymentReleased(account, payment);
    }

    /// @notice modifies released
    function releaseAll() public {
        require(totalShares > 0, "no payees");
        /// @notice invariant i <= payees.length
        for (uint i = 0; i < payees.length; i++) {
            address p = payees[i];
            uint due = totalReceived * shares[p] / totalShares;
            if (due > released[p]) {
                uint payment = due - released[p];
                released[p] = due;
                emit PaymentReleased(p, payment);
            }
        }
    }
}
