import GatewayService
import KPIRuntime

await ServiceHost.main(GatewayService.definition)
