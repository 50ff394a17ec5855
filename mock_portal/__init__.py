"""Mock of the China Single Window 出口报关单补录 function (see docs/portal-contract.md)."""
