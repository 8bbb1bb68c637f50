// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

// Vesting: linear vesting schedules kept in an array of structs; a schedule's index is its id,
// which beneficiaries keep. The releasable amount is computed per schedule by a pure helper whose
// preconditions rule out overflow.
// BUGGY: revoke deletes the schedule with swap-and-pop instead of freezing it in place, which
// moves another beneficiary's schedule to index i (ids change) and shortens the array.

/// @notice invariant forall (uint i) i < schedules.length ==> schedules[i].duration > 0
/// @notice invariant forall (uint i) i < schedules.length ==> schedules[i].duration <= MAX_DURATION
/// @notice invariant forall (uint i) i < schedules.length ==> schedules[i].total <= MAX_TOTAL
contract Vesting {
    struct VestingSchedule {
        address beneficiary;
        uint start;
        uint duration;
        uint total;
        uint released;
        bool revoked;
        uint revokedAt;
    }

    uint public constant MAX_DURATION = 315360000;
    uint public constant MAX_TOTAL = 1000000000000000000000000000000;

    address public owner;
    VestingSchedule[] public schedules;

    event Released(uint indexed id, address indexed beneficiary, uint amount);
    event Revoked(uint indexed id);

    constructor() {
        owner = msg.sender;
    }

    /// @notice postcondition schedules.length == __verifier_old_uint(schedules.length) + 1
    /// @notice postcondition schedules[id].total == total && schedules[id].released == 0
    function addSchedule(address beneficiary, uint start, uint duration, uint total) public returns (uint id) {
        require(msg.sender == owner, "not owner");
        require(duration > 0 && duration <= MAX_DURATION, "bad duration");
        require(total <= MAX_TOTAL, "too large");
        schedules.push(VestingSchedule(beneficiary, start, duration, total, 0, false, 0));
        id = schedules.length - 1;
    }

    /// @notice precondition duration > 0 && duration <= MAX_DURATION
    /// @notice precondition total <= MAX_TOTAL
    /// @notice postcondition t <= start ==> v == 0
    /// @notice postcondition t >= start + duration ==> v == total
    function _vestedAt(uint total, uint start, uint duration, uint t) internal pure returns (uint v) {
        if (t <= start) {
            return 0;
        }
        uint elapsed = t - start;
        if (elapsed >= duration) {
            return total;
        }
        v = total * elapsed / duration;
    }

    /// @notice postcondition schedules[i].released > __verifier_old_uint(schedules[i].released)
    /// @notice postcondition amount == schedules[i].released - __verifier_old_uint(schedules[i].released)
    /// @notice modifies schedules[i]
    function release(uint i) public returns (uint amount) {
        require(i < schedules.length, "no such schedule");
        require(msg.sender == schedules[i].beneficiary, "not beneficiary");
        uint t = block.timestamp;
        if (schedules[i].revoked) {
            t = schedules[i].revokedAt;
        }
        uint vested = _vestedAt(schedules[i].total, schedules[i].start, schedules[i].duration, t);
        require(vested > schedules[i].released, "nothing to release");
        amount = vested - schedules[i].released;
        schedules[i].released = vested;
        emit Released(i, msg.sender, amount);
    }

    /// @notice modifies schedules[i]  // expect: violated(modifies)
    function revoke(uint i) public {
        require(msg.sender == owner, "not owner");
        require(i < schedules.length, "no such schedule");
        require(!schedules[i].revoked, "already revoked");
        schedules[i] = schedules[schedules.length - 1];
        schedules.pop();
        emit Revoked(i);
    }
}
