// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

// Storage references alias; memory copies do not; delete resets.
contract Aliasing {
    uint[] xs;
    uint[][] grid;
    uint[3] fixedArr;

    function storageRef(uint v) public {
        require(xs.length > 0);
        uint[] storage r = xs;
        r[0] = v;
        assert(xs[0] == v);
    }

    function memoryCopy(uint v) public {
        require(xs.length > 0 && v < 100);
        uint[] memory m = xs;
        m[0] = v + 1;
        assert(xs[0] == m[0]); // expect: violated(assert)
    }

    function memoryAlias() public pure {
        uint[] memory a = new uint[](2);
        uint[] memory b = a;
        b[1] = 7;
        assert(a[1] == 7);
        assert(a[0] == 0);
    }

    function deletes(uint i) public {
        require(i < xs.length);
        delete xs[i];
        assert(xs[i] == 0);
        delete xs;
        assert(xs.length == 0);
    }

    function nested(uint i, uint j, uint v) public {
        require(i < grid.length && j < grid[i].length);
        grid[i][j] = v;
        assert(grid[i][j] == v);
        uint[] storage row = grid[i];
        row.push(v);
        assert(grid[i].length == row.length);
        assert(grid[i][grid[i].length - 1] == v);
    }

    function fixedSize(uint i) public view returns (uint) {
        return fixedArr[i]; // expect: violated(index-out-of-bounds)
    }

    function fixedLength() public view {
        assert(fixedArr.length == 3);
    }
}
