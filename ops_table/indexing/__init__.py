"""Indexing: gather/scatter, index_select/add/put, masked ops, take, advanced indexing."""
