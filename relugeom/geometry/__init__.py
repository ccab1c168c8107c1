"""Layer 5, geometry of networks: linear regions and their result types, decision
boundaries, restriction to lines and planes, and zonotopes."""
