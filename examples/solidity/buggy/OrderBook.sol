// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

// OrderBook: a bounded book of sell orders (array of structs). Makers insert and cancel orders;
// buyBest fills the cheapest order; cancelled and filled orders are removed with swap-and-pop.
// BUGGY: buyBest does not check that the book is non-empty before calling _bestIndex, whose
// precondition requires at least one order.

/// @notice invariant orders.length <= MAX_ORDERS
/// @notice invariant forall (uint i) i < orders.length ==> orders[i].amount > 0
contract OrderBook {
    struct Order {
        address maker;
        uint price;
        uint amount;
    }

    uint public constant MAX_ORDERS = 64;
    Order[] public orders;

    event Filled(address indexed maker, address indexed taker, uint price, uint amount);

    /// @notice postcondition orders.length == __verifier_old_uint(orders.length) + 1
    /// @notice postcondition id == orders.length - 1
    /// @notice postcondition orders[id].maker == msg.sender && orders[id].price == price
    function insert(uint price, uint amount) public returns (uint id) {
        require(orders.length < MAX_ORDERS, "book full");
        require(amount > 0, "empty order");
        orders.push(Order(msg.sender, price, amount));
        id = orders.length - 1;
    }

    /// @notice postcondition orders.length == __verifier_old_uint(orders.length) - 1
    function cancel(uint i) public {
        require(i < orders.length, "no such order");
        require(orders[i].maker == msg.sender, "not your order");
        _removeOrder(i);
    }

    /// @notice precondition i < orders.length
    /// @notice precondition forall (uint k) k < orders.length && k != i ==> orders[k].amount > 0
    /// @notice postcondition orders.length == __verifier_old_uint(orders.length) - 1
    /// @notice postcondition forall (uint k) k < orders.length ==> orders[k].amount > 0
    /// @notice modifies orders
    function _removeOrder(uint i) private {
        uint last = orders.length - 1;
        orders[i] = orders[last];
        orders.pop();
    }

    /// @notice precondition orders.length > 0
    /// @notice postcondition best < orders.length
    /// @notice postcondition forall (uint k) k < orders.length ==> orders[best].price <= orders[k].price
    function _bestIndex() internal view returns (uint best) {
        best = 0;
        /// @notice invariant 1 <= i && i <= orders.length
        /// @notice invariant best < orders.length
        /// @notice invariant forall (uint k) k < i ==> orders[best].price <= orders[k].price
        for (uint i = 1; i < orders.length; i++) {
            if (orders[i].price < orders[best].price) {
                best = i;
            }
        }
    }

    /// @notice postcondition orders.length <= __verifier_old_uint(orders.length)
    /// @notice postcondition price <= maxPrice
    function buyBest(uint qty, uint maxPrice) public returns (uint price) {
        uint b = _bestIndex(); // expect: violated(precondition)
        price = orders[b].price;
        require(price <= maxPrice, "price too high");
        require(qty > 0 && qty <= orders[b].amount, "bad quantity");
        uint remaining = orders[b].amount - qty;
        emit Filled(orders[b].maker, msg.sender, price, qty);
        if (remaining == 0) {
            _removeOrder(b);
        } else {
            orders[b].amount = remaining;
        }
    }
}
