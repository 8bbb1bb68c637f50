// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

// StakingPool: stake positions live in an array of structs. The owner funds a reward pool and
// distribute() iterates over all stakers, crediting 5% of each stake (capped by what is left in
// the pool). No staker can be credited more than has been taken out of the pool.
// BUGGY: distribute() credits each staker's share but never debits it from rewardPool, so the
// same pool is paid out again and again.

/// @notice invariant rewardPool <= totalFunded && totalFunded <= MAX_FUNDING
/// @notice invariant forall (uint i) i < stakers.length ==> stakers[i].amount <= MAX_STAKE
/// @notice invariant forall (uint i) i < stakers.length ==> stakers[i].reward <= totalFunded - rewardPool
contract StakingPool {
    struct Staker {
        address account;
        uint amount;
        uint reward;
    }

    uint public constant MAX_STAKE = 1000000000000000000000000;
    uint public constant MAX_FUNDING = 1000000000000000000000000000;

    address public owner;
    uint public rewardPool;
    uint public totalFunded;
    Staker[] public stakers;

    event Staked(address indexed account, uint id, uint amount);
    event Unstaked(address indexed account, uint amount, uint reward);
    event RewardPaid(address indexed account, uint reward);

    constructor() {
        owner = msg.sender;
    }

    /// @notice postcondition stakers.length == __verifier_old_uint(stakers.length) + 1
    /// @notice postcondition stakers[id].amount == amount && stakers[id].reward == 0
    function stake(uint amount) public returns (uint id) {
        require(amount > 0 && amount <= MAX_STAKE, "bad amount");
        stakers.push(Staker(msg.sender, amount, 0));
        id = stakers.length - 1;
        emit Staked(msg.sender, id, amount);
    }

    /// @notice postcondition stakers.length == __verifier_old_uint(stakers.length) - 1
    function unstake(uint id) public {
        require(id < stakers.length, "no such position");
        require(stakers[id].account == msg.sender, "not your position");
        uint amount = stakers[id].amount;
        uint reward = stakers[id].reward;
        stakers[id] = stakers[stakers.length - 1];
        stakers.pop();
        emit Unstaked(msg.sender, amount, reward);
    }

    /// @notice postcondition rewardPool == __verifier_old_uint(rewardPool) + amount
    function fund(uint amount) public {
        require(msg.sender == owner, "not owner");
        require(amount <= MAX_FUNDING - totalFunded, "funding cap");
        totalFunded += amount;
        rewardPool += amount;
    }

    /// @notice postcondition rewardPool <= __verifier_old_uint(rewardPool)
    /// @notice postcondition stakers.length == __verifier_old_uint(stakers.length)
    function distribute() public {
        require(msg.sender == owner, "not owner");
        /// @notice invariant i <= stakers.length
        /// @notice invariant stakers.length == __verifier_old_uint(stakers.length)
        /// @notice invariant rewardPool <= __verifier_old_uint(rewardPool)
        /// @notice invariant forall (uint k) k < stakers.length ==> stakers[k].amount <= MAX_STAKE
        /// @notice invariant forall (uint k) k < stakers.length ==> stakers[k].reward <= totalFunded - rewardPool  // expect: unknown(loop-invariant-preserved)
        for (uint i = 0; i < stakers.length; i++) {
            uint share = stakers[i].amount * 5 / 100;
            if (share > rewardPool) {
                share = rewardPool;
            }
            stakers[i].reward += share;
        }
    }

    /// @notice postcondition stakers[id].reward == 0
    function claim(uint id) public returns (uint reward) {
        require(id < stakers.length, "no such position");
        require(stakers[id].account == msg.sender, "not your position");
        reward = stakers[id].reward;
        stakers[id].reward = 0;
        emit RewardPaid(msg.sender, reward);
    }
}
