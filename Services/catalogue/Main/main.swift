import CatalogueService
import KPIRuntime

await ServiceHost.main(CatalogueService.definition)
