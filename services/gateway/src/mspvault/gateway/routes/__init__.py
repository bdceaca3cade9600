"""The gateway's HTTP surface: its own routes first, the prefix forwarder last."""
