"""libstdc++'s selection and sorting algorithms, element for element.

``torch.multinomial`` without replacement ranks ``p / Exp(1)`` with
``topk``, whose CPU kernel calls ``std::partial_sort`` or
``std::nth_element`` + ``std::sort`` (GCC's libstdc++). Neither is stable, so
when two candidates compare equal the indices PyTorch returns depend on the
exact sequence of moves those algorithms make. We only come here when such
ties matter; the arrays then are small enough for plain Python.

``less(a, b)`` is the strict weak order on the *values*; the sequences hold
(value, index) pairs and are permuted in place.
"""

_THRESHOLD = 16  # libstdc++ _S_threshold


def _lg(n):
    return n.bit_length() - 1


def _push_heap(a, first, hole, top, value, less):
    parent = (hole - 1) // 2
    while hole > top and less(a[first + parent][0], value[0]):
        a[first + hole] = a[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    a[first + hole] = value


def _adjust_heap(a, first, hole, length, value, less):
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if less(a[first + child][0], a[first + child - 1][0]):
            child -= 1
        a[first + hole] = a[first + child]
        hole = child
    if (length & 1) == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        a[first + hole] = a[first + child - 1]
        hole = child - 1
    _push_heap(a, first, hole, top, value, less)


def _make_heap(a, first, last, less):
    length = last - first
    if length < 2:
        return
    parent = (length - 2) // 2
    while True:
        _adjust_heap(a, first, parent, length, a[first + parent], less)
        if parent == 0:
            return
        parent -= 1


def _pop_heap(a, first, last, result, less):
    value = a[result]
    a[result] = a[first]
    _adjust_heap(a, first, 0, last - first, value, less)


def _heap_select(a, first, middle, last, less):
    _make_heap(a, first, middle, less)
    for i in range(middle, last):
        if less(a[i][0], a[first][0]):
            _pop_heap(a, first, middle, i, less)


def _sort_heap(a, first, last, less):
    while last - first > 1:
        last -= 1
        _pop_heap(a, first, last, last, less)


def partial_sort(a, first, middle, last, less):
    _heap_select(a, first, middle, last, less)
    _sort_heap(a, first, middle, less)


def _move_median_to_first(a, result, i, j, k, less):
    ai, aj, ak = a[i][0], a[j][0], a[k][0]
    if less(ai, aj):
        if less(aj, ak):
            a[result], a[j] = a[j], a[result]
        elif less(ai, ak):
            a[result], a[k] = a[k], a[result]
        else:
            a[result], a[i] = a[i], a[result]
    elif less(ai, ak):
        a[result], a[i] = a[i], a[result]
    elif less(aj, ak):
        a[result], a[k] = a[k], a[result]
    else:
        a[result], a[j] = a[j], a[result]


def _unguarded_partition(a, first, last, pivot, less):
    while True:
        while less(a[first][0], a[pivot][0]):
            first += 1
        last -= 1
        while less(a[pivot][0], a[last][0]):
            last -= 1
        if not first < last:
            return first
        a[first], a[last] = a[last], a[first]
        first += 1


def _unguarded_partition_pivot(a, first, last, less):
    mid = first + (last - first) // 2
    _move_median_to_first(a, first, first + 1, mid, last - 1, less)
    return _unguarded_partition(a, first + 1, last, first, less)


def _unguarded_linear_insert(a, last, less):
    val = a[last]
    nxt = last - 1
    while less(val[0], a[nxt][0]):
        a[last] = a[nxt]
        last = nxt
        nxt -= 1
    a[last] = val


def _insertion_sort(a, first, last, less):
    if first == last:
        return
    for i in range(first + 1, last):
        if less(a[i][0], a[first][0]):
            val = a[i]
            a[first + 1:i + 1] = a[first:i]
            a[first] = val
        else:
            _unguarded_linear_insert(a, i, less)


def _final_insertion_sort(a, first, last, less):
    if last - first > _THRESHOLD:
        _insertion_sort(a, first, first + _THRESHOLD, less)
        for i in range(first + _THRESHOLD, last):
            _unguarded_linear_insert(a, i, less)
    else:
        _insertion_sort(a, first, last, less)


def _introsort_loop(a, first, last, depth, less):
    while last - first > _THRESHOLD:
        if depth == 0:
            partial_sort(a, first, last, last, less)
            return
        depth -= 1
        cut = _unguarded_partition_pivot(a, first, last, less)
        _introsort_loop(a, cut, last, depth, less)
        last = cut


def sort(a, first, last, less):
    if first != last:
        _introsort_loop(a, first, last, _lg(last - first) * 2, less)
        _final_insertion_sort(a, first, last, less)


def nth_element(a, first, nth, last, less):
    if first == last or nth == last:
        return
    depth = _lg(last - first) * 2
    while last - first > 3:
        if depth == 0:
            _heap_select(a, first, nth + 1, last, less)
            a[first], a[nth] = a[nth], a[first]
            return
        depth -= 1
        cut = _unguarded_partition_pivot(a, first, last, less)
        if cut <= nth:
            first = cut
        else:
            last = cut
    _insertion_sort(a, first, last, less)


def topk_largest_indices(values, k):
    """Indices ``torch.topk(values, k)`` (largest, sorted) returns on CPU
    for a 1-D float sequence: ``topk_impl_loop``'s use of libstdc++."""
    import math

    def greater(x, y):  # NaN sorts as the largest, like the kernel's lambda
        return (math.isnan(x) and not math.isnan(y)) or x > y

    q = [(float(v), i) for i, v in enumerate(values)]
    n = len(q)
    if k * 64 <= n:
        partial_sort(q, 0, k, n, greater)
    else:
        nth_element(q, 0, k - 1, n, greater)
        sort(q, 0, k - 1, greater)
    return [q[j][1] for j in range(k)]
