"""Pytest configuration shared by the unit tests and the notebooks run by nbval."""


def pytest_collectstart(collector):
    # Notebook stderr holds tqdm bars and warnings with temporary paths: not compared.
    if getattr(collector, "path", None) is not None and collector.path.suffix == ".ipynb":
        collector.skip_compare += ("stderr",)
