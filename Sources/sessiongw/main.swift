print("sessiongw")
