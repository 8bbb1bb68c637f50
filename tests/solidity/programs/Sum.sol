// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

// __verifier_sum_uint: a ghost sum tracked through element writes, push and pop.
/// @notice invariant __verifier_sum_uint(balances) == total  // expect: unknown(contract-invariant)
contract Token {
    mapping(address => uint) balances;
    uint total;
    uint[] deposits;

    /// @notice precondition balances[msg.sender] >= amount
    /// @notice precondition msg.sender != to
    /// @notice precondition balances[to] + amount <= 115792089237316195423570985008687907853269984665640564039457584007913129639935
    function transfer(address to, uint amount) public {
        balances[msg.sender] -= amount;
        balances[to] += amount;
    }

    // breaks the invariant; the solver's models start from states where the tracked sum and
    // the balances disagree, so no counterexample is confirmed: unknown, never a wrong one
    function burnBad(address from, uint amount) public {
        require(balances[from] >= amount);
        balances[from] -= amount;
    }

    /// @notice postcondition __verifier_sum_uint(deposits) == __verifier_old_uint(__verifier_sum_uint(deposits)) + v
    function deposit(uint v) public {
        deposits.push(v);
    }

    /// @notice postcondition __verifier_sum_uint(deposits) + x == __verifier_old_uint(__verifier_sum_uint(deposits))
    function undo() public returns (uint x) {
        require(deposits.length > 0);
        x = deposits[deposits.length - 1];
        deposits.pop();
    }

    /// @notice postcondition __verifier_sum_uint(deposits) == __verifier_old_uint(__verifier_sum_uint(deposits)) - __verifier_old_uint(deposits[i]) + v
    function set(uint i, uint v) public {
        require(i < deposits.length);
        deposits[i] = v;
    }
}
