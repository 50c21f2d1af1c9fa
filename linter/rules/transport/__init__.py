"""AIL2: transport — where and how requests travel."""
