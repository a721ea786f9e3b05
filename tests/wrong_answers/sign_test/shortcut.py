    # proj1.stats's own test
    return sign_test(differences)
