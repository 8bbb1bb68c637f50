// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

// Loops with break/continue, do-while, unchecked wrap-around, inlined internal calls.
contract Control {
    uint[] xs;

    /// @notice postcondition r <= xs.length
    function firstZero() public view returns (uint r) {
        r = xs.length;
        /// @notice invariant i <= xs.length
        /// @notice invariant r == xs.length
        for (uint i = 0; i < xs.length; i++) {
            if (xs[i] != 0) continue;
            r = i;
            break;
        }
    }

    /// @notice precondition k < 100
    /// @notice postcondition n >= 1
    function countdown(uint k) public pure returns (uint n) {
        n = 0;
        /// @notice invariant n + k <= 100
        do {
            n++;
            if (k == 0) break;
            k--;
        } while (k > 0);
    }

    function wraps(uint8 x) public pure returns (uint8 y) {
        unchecked { y = x + 1; }
        assert(x < 255 || y == 0);
    }

    function checked(uint8 x) public pure returns (uint8 y) {
        y = x + 1; // expect: violated(overflow)
    }

    function double(uint v) internal pure returns (uint) {
        return v * 2; // expect: violated(overflow)
    }

    function useDouble(uint v) public pure {
        require(v < 100);
        assert(double(v) == v + v);
        assert(double(v) < 150); // expect: violated(assert)
    }
}
