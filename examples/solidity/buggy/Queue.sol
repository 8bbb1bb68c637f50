// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

// Queue: a FIFO of uint jobs stored in an array with a moving head index.
// BUGGY: dequeue's emptiness guard is off by one (`head <= items.length`), so dequeue on an
// empty queue reads one past the end of the array.

/// @notice invariant head <= items.length
contract Queue {
    uint[] public items;
    uint public head;

    event Enqueued(uint value);
    event Dequeued(uint value);

    /// @notice postcondition items.length == __verifier_old_uint(items.length) + 1
    /// @notice postcondition items[items.length - 1] == v
    /// @notice postcondition head == __verifier_old_uint(head)
    function enqueue(uint v) public {
        items.push(v);
        emit Enqueued(v);
    }

    /// @notice postcondition v == __verifier_old_uint(items[head])
    /// @notice postcondition items.length - head == __verifier_old_uint(items.length) - __verifier_old_uint(head) - 1
    function dequeue() public returns (uint v) {
        require(head <= items.length, "queue empty");
        v = items[head]; // expect: violated(index-out-of-bounds)
        delete items[head];
        head += 1;
        if (head == items.length) {
            delete items;
            head = 0;
        }
        emit Dequeued(v);
    }

    /// @notice postcondition v == items[head]
    function peek() public view returns (uint v) {
        require(head < items.length, "queue empty");
        v = items[head];
    }

    /// @notice postcondition n == items.length - head
    function size() public view returns (uint n) {
        n = items.length - head;
    }

    /// @notice postcondition v == items[head + k]
    function at(uint k) public view returns (uint v) {
        require(k < items.length - head, "out of range");
        v = items[head + k];
    }
}
