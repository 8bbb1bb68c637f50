// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

// Treasury: per-department budgets in an array, each capped at MAX_BUDGET. reallocate moves an
// amount between two departments with cached balances and asserts that the pair's total is
// conserved; spend pays out of one department (recorded with an event).

/// @notice invariant forall (uint i) i < budgets.length ==> budgets[i] <= MAX_BUDGET
contract Treasury {
    uint public constant MAX_BUDGET = 1000000000000000000000000000000;

    address public owner;
    uint[] public budgets;

    event Spent(uint indexed department, address to, uint amount);

    modifier onlyOwner() {
        require(msg.sender == owner, "not owner");
        _;
    }

    constructor() {
        owner = msg.sender;
    }

    /// @notice postcondition budgets.length == __verifier_old_uint(budgets.length) + 1
    /// @notice postcondition budgets[id] == initial
    function addDepartment(uint initial) public onlyOwner returns (uint id) {
        require(initial <= MAX_BUDGET, "budget cap");
        budgets.push(initial);
        id = budgets.length - 1;
    }

    /// @notice postcondition budgets.length == __verifier_old_uint(budgets.length)
    /// @notice postcondition budgets[to] == __verifier_old_uint(budgets[to]) + amount
    /// @notice modifies budgets[from]
    /// @notice modifies budgets[to]
    function reallocate(uint from, uint to, uint amount) public onlyOwner {
        require(from < budgets.length && to < budgets.length, "no such department");
        require(from != to, "same department");
        uint before = budgets[from] + budgets[to];
        uint fromBudget = budgets[from];
        uint toBudget = budgets[to];
        require(amount <= fromBudget, "insufficient budget");
        require(amount <= MAX_BUDGET - toBudget, "budget cap");
        budgets[from] = fromBudget - amount;
        budgets[to] = toBudget + amount;
        assert(budgets[from] + budgets[to] == before);
    }

    /// @notice postcondition budgets[dept] == __verifier_old_uint(budgets[dept]) - amount
    /// @notice modifies budgets[dept]
    function spend(uint dept, address to, uint amount) public onlyOwner {
        require(dept < budgets.length, "no such department");
        require(amount <= budgets[dept], "insufficient budget");
        budgets[dept] -= amount;
        emit Spent(dept, to, amount);
    }
}
