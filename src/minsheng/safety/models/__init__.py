"""Work-safety records, split by subject."""

from minsheng.safety.models.accidents import Accident, AccidentRelay, CasualtyUpdate, Release
from minsheng.safety.models.emergency import (
    Drill,
    EmergencyPlan,
    Equipment,
    RescueTeam,
    SupplyItem,
)
from minsheng.safety.models.enterprise import Certificate, SafetyProfile, TrainingRecord
from minsheng.safety.models.hazards import (
    Hazard,
    HazardPhoto,
    InspectionCheck,
    InspectionPlan,
    InspectorConflict,
    Publication,
    RectificationPlan,
)
from minsheng.safety.models.iot import (
    Alarm,
    IngestReject,
    IngestStatus,
    MajorHazardSource,
    Reading,
    ReadingRollup,
    Sensor,
    SourceSubstance,
)

__all__ = ["Accident", "AccidentRelay", "Alarm", "CasualtyUpdate", "Certificate", "Drill",
           "EmergencyPlan", "Equipment", "Hazard", "HazardPhoto", "IngestReject",
           "IngestStatus", "InspectionCheck", "InspectionPlan", "InspectorConflict",
           "MajorHazardSource", "Publication", "Reading", "ReadingRollup",
           "RectificationPlan", "Release", "RescueTeam", "SafetyProfile", "Sensor",
           "SourceSubstance", "SupplyItem", "TrainingRecord"]
