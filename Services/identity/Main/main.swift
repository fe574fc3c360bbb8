import IdentityService
import KPIRuntime

await ServiceHost.main(IdentityService.definition)
